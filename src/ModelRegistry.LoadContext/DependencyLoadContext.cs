using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ModelRegistry.LoadContext
{
    /// <summary>
    /// The engine's private context on PowerShell 7 (the bridge pattern from the PowerShell docs on resolving
    /// dependency conflicts): the engine and AWSSDK.Core load here from <c>Dependencies/</c>, so they never collide
    /// with another module's copies (AWS Tools for PowerShell's AWSSDK.Core).
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? _context;

        private readonly string _folder;

        private DependencyLoadContext(string folder) : base("ModelRegistry.Dependencies") { _folder = folder; }

        /// <summary>
        /// Loads <paramref name="assemblyName"/> from <paramref name="folder"/> into the module's one private context
        /// (created on the first call); null when it is not there. Called through reflection by the netstandard2.0
        /// cmdlet assembly.
        /// </summary>
        public static Assembly? LoadFromFolder(string folder, string assemblyName)
        {
            var path = Path.Combine(folder, assemblyName + ".dll");
            if (!File.Exists(path)) return null;
            DependencyLoadContext context;
            lock (Gate) context = _context ??= new DependencyLoadContext(folder);
            return context.LoadFromAssemblyPath(path);
        }

        // Resolve from Dependencies/ by explicit path; anything not there (the framework, PowerShell,
        // ModelRegistry.Domain) comes from the default context. Never load by name here: that would
        // re-enter the default context's resolution and recurse.
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
