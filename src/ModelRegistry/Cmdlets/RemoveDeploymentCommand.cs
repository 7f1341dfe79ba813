using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Deletes an endpoint and the endpoint configs and models this module created for it.</para>
    /// <para type="description">Deletes the endpoint first, then its current config and model when they carry the ManagedBy=ModelRegistry tag that Deploy-MRModelVersion puts on them, then the earlier configs and models that switches without -RemovePrevious kept for a rollback (found by the module's naming under the groups the endpoint served, and its Endpoint tag); a config or model created by other tools, or still used by another endpoint, is kept and named in the result. What is deleted is exactly what -WhatIf or the confirmation showed. When the caller may not list configs, models or endpoints (sagemaker:ListEndpointConfigs, sagemaker:ListModels, sagemaker:ListEndpoints), the endpoint is still removed and the result says which earlier ones could not be looked for or checked. Asks for confirmation (ConfirmImpact High); -WhatIf names everything it would delete. Emits one DeploymentRemoval per endpoint saying what was deleted, kept, and what failed (each failure is also an error).</para>
    /// <example>
    ///   <code>Remove-MRDeployment fraud-detection-endpoint -WhatIf</code>
    ///   <para>Shows the endpoint and every config and model that would be deleted.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRDeployment -GroupName rc-fraud-detection | Remove-MRDeployment -Confirm:$false</code>
    ///   <para>Removes every deployment of the fraud-detection group without asking.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "MRDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Deployment")]
    [OutputType(typeof(DeploymentRemoval))]
    public sealed class RemoveDeploymentCommand : RegistryCmdlet
    {
        private const string ByName = "Name";
        // The by-value set is the default: PowerShell prefers the default set for pipeline input.
        private const string ByDeployment = "Deployment";
        // Strings piped by value: a set of their own, so an object that binds something by property name is never
        // turned into an endpoint name by its ToString() (a ModelGroup piped here must not remove an endpoint named like it).
        private const string ByText = "Text";

        /// <summary>The endpoints to remove: names or endpoint ARNs. Binds by property name; strings piped bind as names too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(EndpointNameCompleter))]
        public string[] EndpointName { get; set; } = Array.Empty<string>();

        /// <summary>Endpoint names or endpoint ARNs piped as strings ('fraud-detection-endpoint' | …): read as -EndpointName.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByText, DontShow = true)]
        [ValidateNotNullOrEmpty]
        public Hosting.PipedText[]? InputText { get; set; }

        /// <summary>Deployments from Get-MRDeployment or Deploy-MRModelVersion: one reached from a project is removed only
        /// when the credentials act in the project's AWS_ACCOUNT_ID.</summary>
        // Not Mandatory: a bare call must fail with NoInput, never prompt (a job's open stdin would hang).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByDeployment)]
        public ModelRegistry.Deployment[]? InputObject { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (a guard against acting in the wrong account). With -EndpointName, binds by property name from the ExpectedAccountId of objects reached from a project.</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ParameterSetName = ByDeployment)]
        [Parameter(ParameterSetName = ByText)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            var inputs = ParameterSetName == ByDeployment
                ? (InputObject ?? Array.Empty<ModelRegistry.Deployment>()).Where(d => d != null)
                    .Select(d => (Name: d.EndpointName, Accounts: Expected(d.ExpectedAccountId, ExpectedAccountId), Region: d.ConfiguredRegion ?? ConfiguredRegion))
                : EndpointNames().Select(n => (Name: n.Name, Accounts: Expected(ExpectedAccountId), Region: ConfiguredRegion ?? n.Region));
            foreach (var batch in inputs.GroupBy(i => ResolveConnection(i.Region), ConnectionComparer.Instance))
                Remove(batch.Key, PassAccountGuard(batch.Key, batch, i => i.Accounts, i => i.Name).Select(i => i.Name).ToList());
        }

        /// <summary>-EndpointName as names: an endpoint ARN reads as its name (and its region); another ARN is an error of its own.</summary>
        private List<(string Name, string? Region)> EndpointNames()
        {
            var names = new List<(string, string?)>();
            foreach (var n in (ParameterSetName == ByText ? InputText?.Select(t => t.Text).ToArray() : EndpointName) ?? Array.Empty<string>())
            {
                if (!Engine.Config.Arns.LooksLikeArn(n)) { names.Add((n, null)); continue; }
                try
                {
                    var arn = Engine.Config.Arns.Require(n, "-EndpointName", null, Engine.Config.ArnKind.Endpoint);
                    names.Add((arn.Name, arn.Region));
                }
                catch (RegistryException ex)
                {
                    WriteFailure(ex, n);
                }
            }
            return names;
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByDeployment && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
                ThrowTerminatingError(ErrorRecords.NoInput("Remove-MRDeployment was given no endpoints. Pipe deployments (Get-MRDeployment) or endpoint names, or use -EndpointName. Nothing was removed."));
        }

        private void Remove(RegistryConnection connection, IReadOnlyList<string> names)
        {
            if (names.Count == 0) return;
            var registry = OpenRegistry(connection);
            var operations = new DeploymentOperations(registry);
            foreach (var name in names)
            {
                if (Cancellation.IsCancellationRequested) return;
                try
                {
                    var plan = operations.PlanRemovalAsync(name, Cancellation).GetAwaiter().GetResult();
                    var preview = plan.Preview();
                    var what = $"Delete {string.Join(", ", preview.Deleted)}" + (preview.Kept.Count > 0 ? $"; keep {string.Join(", ", preview.Kept)}" : "");
                    if (!ShouldProcess($"{name} in {registry.Location}", what)) continue;
                    // Exactly what was shown and confirmed, not a fresh look.
                    var done = operations.RemoveAsync(plan, Cancellation).GetAwaiter().GetResult();
                    foreach (var d in done.Deleted) WriteVerbose($"Deleted {d}");
                    foreach (var f in done.Failed)
                        WriteFailure(new RegistryException(RegistryErrorKind.Conflict, $"Endpoint '{name}' was deleted, but {f} — it remains.", name), name);
                    WriteObject(done);
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    WriteFailure(ex, name);
                }
            }
        }
    }
}
