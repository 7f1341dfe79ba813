using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// Loads the engine and its dependencies (AWSSDK.Core, …) from a <c>Dependencies/</c> folder so they never
    /// collide with another module's copies. This assembly is one netstandard2.0 build for both editions (so the
    /// manifest's RootModule is a constant: an <c>if ($PSEdition …)</c> there made PowerShell compile and run the
    /// manifest at every import). On PowerShell 7 the net8.0 engine goes into a private AssemblyLoadContext
    /// (<c>net8.0/ModelRegistry.LoadContext.dll</c>, loaded only when the engine is first needed); on Windows
    /// PowerShell 5.1 there is no such context, so the netstandard2.0 engine and its dependencies are resolved
    /// from their folder on demand.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string EngineName = "ModelRegistry.Engine";

        // Import only hooks resolution: the folders, the load context and its assembly wait for the first engine call.
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (name is null) return null;
            return OnCore ? Core.Load(name) : FromDependencies(name);
        }

        // PowerShell 7 runs on .NET (System.Private.CoreLib), Windows PowerShell on .NET Framework (mscorlib).
        private static bool OnCore => typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        private static string ModuleBase => Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        private static Assembly? FromDependencies(string name)
        {
            var path = Path.Combine(ModuleBase, "netstandard2.0", "Dependencies", name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }

        private static class Core
        {
            private static readonly string DependencyFolder = Path.Combine(ModuleBase, "net8.0", "Dependencies");

            private static readonly Lazy<Func<string, string, Assembly?>> LoadFromFolder =
                new Lazy<Func<string, string, Assembly?>>(() =>
                {
                    var loader = Assembly.LoadFrom(Path.Combine(ModuleBase, "net8.0", "ModelRegistry.LoadContext.dll"));
                    var method = loader.GetType("ModelRegistry.LoadContext.DependencyLoadContext", throwOnError: true)!
                        .GetMethod("LoadFromFolder", BindingFlags.Public | BindingFlags.Static)!;
                    return (Func<string, string, Assembly?>)method.CreateDelegate(typeof(Func<string, string, Assembly?>));
                });

            // Only the engine is handed over to the private context; everything it needs then resolves there.
            public static Assembly? Load(string name) =>
                name == EngineName ? LoadFromFolder.Value(DependencyFolder, name) : null;
        }
    }
}
