using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Checks that model groups exist, counts their versions per approval status, and checks that listing is permitted.</para>
    /// <para type="description">Verifies that each group exists and counts its versions, every page of them (not only the first 100). Emits one GroupTestResult per group; each failed check is also a non-terminating error, so -ErrorAction and $? work as usual. With -Quiet it returns a single boolean instead — $true only when every group passed — so a runbook can `if (-not (... | Test-MRModelGroup -Quiet)) { exit 1 }`.</para>
    /// <example>
    ///   <code>Get-MRProject | Test-MRModelGroup</code>
    ///   <para>Verifies every configured group.</para>
    /// </example>
    /// <example>
    ///   <code>if (-not (Get-MRProject | Test-MRModelGroup -Quiet)) { exit 1 }</code>
    ///   <para>Fails a scheduled runbook when any group is missing.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "MRModelGroup", DefaultParameterSetName = ByProject)]
    [OutputType(typeof(GroupTestResult), typeof(bool))]
    public sealed class TestModelGroupCommand : GroupInputCmdlet
    {
        /// <summary>Return one boolean for all groups instead of result objects and errors.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        private bool _allPassed = true;
        private bool _any;

        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            _any = true;
            var operations = new ModelGroupOperations(registry);
            bool? listPermitted;
            try
            {
                listPermitted = operations.CheckListPermittedAsync(Cancellation).GetAwaiter().GetResult().Permitted;
            }
            catch (System.Exception ex)
            {
                _allPassed = false;
                if (!Quiet) WriteFailure(ex, registry.Location);
                return;
            }

            var outcomes = BulkRunner.Run(groups, (g, ct) => operations.TestAsync(g.Name, listPermitted, ct), Bulk(ThrottleLimit), Cancellation);
            Drain(outcomes, groups.Count, "Verifying model groups", outcome =>
            {
                if (outcome.Error != null)
                {
                    _allPassed = false;
                    if (!Quiet) WriteFailure(outcome.Error, outcome.Input.Target);
                    return;
                }
                var result = outcome.Result!.WithExpectedAccount(outcome.Input.ExpectedAccountId, outcome.Input.ConfiguredRegion);
                if (!result.Passed) _allPassed = false;
                if (Quiet) return;
                WriteObject(result);
                foreach (var problem in result.Problems)
                    WriteFailure(new RegistryException(result.Exists ? RegistryErrorKind.AccessDenied : RegistryErrorKind.NotFound, problem, result.Name),
                        outcome.Input.Target);
            });
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (Quiet) WriteObject(_any && _allPassed);
        }
    }
}
