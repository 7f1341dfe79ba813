using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// The module's views (tables and lists for its objects), added to the importing session as format-data
    /// objects. They are written in Formats/ModelRegistry.format.ps1xml and compiled from it at build time
    /// (build/New-FormatSource.ps1 → ModuleViews.g.cs): naming the file in the manifest's FormatsToProcess
    /// made PowerShell parse its XML at every import, the largest cost of importing that was not PowerShell's own.
    /// Objects load the way PowerShell's built-in views do.
    /// </summary>
    internal static partial class ModuleViews
    {
        private static readonly Lazy<IReadOnlyList<ExtendedTypeDefinition>> Definitions =
            new Lazy<IReadOnlyList<ExtendedTypeDefinition>>(() => Build()
                // A type with a table and a list view: one definition holding both, the table first (the default).
                .GroupBy(d => d.TypeName, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.Count() == 1 ? g.First() : new ExtendedTypeDefinition(g.Key, g.SelectMany(d => d.FormatViewDefinition).ToList()))
                .ToList());

        /// <summary>The views, as PowerShell's format data (one definition per type).</summary>
        internal static IReadOnlyList<ExtendedTypeDefinition> All => Definitions.Value;

        /// <summary>
        /// Adds the views to the current session and has PowerShell rebuild its format table, as Update-FormatData
        /// does. Called when a command of the module is created (before any of its objects reach a formatter), so
        /// Import-Module does not pay the rebuild. Once per session: later calls find the views already there.
        /// </summary>
        internal static void AddToCurrentSession()
        {
            var runspace = Runspace.DefaultRunspace;
            var iss = runspace?.InitialSessionState;
            if (iss == null || iss.DisableFormatUpdates) return;
            var first = All[0];
            if (iss.Formats.Any(e => ReferenceEquals(e.FormatData, first))) return;

            foreach (var definition in All) iss.Formats.Add(new SessionStateFormatEntry(definition));
            // Update-FormatData without paths rebuilds the table from the session's format entries, ours included.
            // The command is named by its type, so no module is loaded to find it.
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand(new CmdletInfo("Update-FormatData", UpdateFormatDataType.Value))
                    .AddParameter("WhatIf", false).AddParameter("Confirm", false);
                ps.Invoke();
                if (ps.HadErrors)
                {
                    var error = ps.Streams.Error.FirstOrDefault();
                    throw new InvalidOperationException(
                        "ModelRegistry could not add its views to the session: " + (error?.ToString() ?? "Update-FormatData failed."),
                        error?.Exception);
                }
            }
        }

        // Update-FormatData's class, from PowerShell's own (already loaded) utility assembly.
        private static readonly Lazy<Type> UpdateFormatDataType = new Lazy<Type>(() =>
            AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => a.GetName().Name == "Microsoft.PowerShell.Commands.Utility")
                .Select(a => a.GetType("Microsoft.PowerShell.Commands.UpdateFormatDataCommand"))
                .FirstOrDefault(t => t != null)
            ?? Type.GetType("Microsoft.PowerShell.Commands.UpdateFormatDataCommand, Microsoft.PowerShell.Commands.Utility", throwOnError: true)!);

        private static ExtendedTypeDefinition View(string typeName, string viewName, PSControl control) =>
            new ExtendedTypeDefinition(typeName, new List<FormatViewDefinition> { new FormatViewDefinition(viewName, control) });
    }
}
