using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
#if NET
using System.Runtime.Loader;
#endif

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// Loads the engine and its dependencies (AWSSDK.Core, …) from <c>Dependencies/</c> so they never collide
    /// with another module's copies. On PowerShell 7 they go into a private AssemblyLoadContext (the bridge
    /// pattern from the PowerShell docs on resolving dependency conflicts); on Windows PowerShell 5.1 there is
    /// no such context, so they are resolved from the same folder on demand.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "Dependencies");

        private const string EngineName = "ModelRegistry.Engine";

        public void OnImport()
        {
#if NET
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
#else
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
#endif
            // Views are added when the module's first command is created (ModelRegistryCmdlet), not here: having
            // PowerShell rebuild the session's format table was most of what importing cost beyond its own floor.
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
#if NET
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
#else
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
#endif
        }

#if NET
        private static readonly Lazy<DependencyLoadContext> Context =
            new Lazy<DependencyLoadContext>(() => new DependencyLoadContext(DependencyFolder));

        // Only the engine is handed over to the private context; everything it needs then resolves there.
        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (!string.Equals(name.Name, EngineName, StringComparison.Ordinal)) return null;
            var path = Path.Combine(DependencyFolder, EngineName + ".dll");
            return File.Exists(path) ? Context.Value.LoadFromAssemblyPath(path) : null;
        }

        private sealed class DependencyLoadContext : AssemblyLoadContext
        {
            private readonly string _folder;

            public DependencyLoadContext(string folder) : base("ModelRegistry.Dependencies") { _folder = folder; }

            // Resolve from Dependencies/ by explicit path; anything not there (the framework, PowerShell,
            // ModelRegistry.Domain) comes from the default context. Never load by name here: that would
            // re-enter Default.Resolving and recurse.
            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var path = Path.Combine(_folder, assemblyName.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
#else
        private static Assembly? ResolveFromDependencies(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
#endif
    }
}
