using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Deploys an Approved model version to an endpoint, creating it or switching it to the new version.</para>
    /// <para type="description">Deploys a model version the way the SageMaker Python SDK's ModelPackage(...).deploy(...) does, with an approval check that call lacks: anything not Approved is refused and nothing is created. Creates a model whose container is the version (ModelPackageName = the version's ARN), an endpoint config with one variant (AllTraffic) and the endpoint. When the endpoint exists it is switched to the new config; the old model and config keep serving until the switch completes (-RemovePrevious deletes them afterwards, with -Wait). Names are deterministic — {group}-{version}-{hash}, at most 63 characters — so deploying the same version to the same endpoint again changes nothing. Everything is tagged ManagedBy=ModelRegistry, ModelVersionArn, ModelGroup, Team, Project and Endpoint. A failure midway deletes what this call created, or the error names what remains. Switching a live endpoint to another version is High impact: it asks (unless -Confirm:$false or $ConfirmPreference = 'None'), -WhatIf says "Switch endpoint X from version A of G to version B of G", and a host that cannot ask (a job, a scheduled task) fails that item instead of waiting; creating a new endpoint is Medium and does not ask. A version reached from a project (Get-MRProject | Get-MRModelVersion), -ExpectedAccountId or the AWS_ACCOUNT_ID of -ConfigPath is deployed only when the credentials act in that account. -WhatIf prints the plan. On the Local registry the deployment is a record only: nothing is served.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status Approved -Latest 1 | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Wait</code>
    ///   <para>Deploys the newest approved fraud-detection version and waits until the endpoint is InService.</para>
    /// </example>
    /// <example>
    ///   <code>Deploy-MRModelVersion -Arn arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/3 -EndpointName fraud-detection-endpoint -InstanceType ml.c5.xlarge -InitialInstanceCount 2 -WhatIf</code>
    ///   <para>Shows the names it would create and whether it would switch an existing endpoint.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status Approved -Latest 1 | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Confirm:$false</code>
    ///   <para>In a scheduled job: switches the live endpoint to the newest approved version without asking.</para>
    /// </example>
    /// </summary>
    // The ARN set is the default: a string piped or given by position is a version ARN; a ModelVersion binds
    // -InputObject by value (an exact type match wins over the default), a name needs -GroupName with -Version.
    [Cmdlet("Deploy", "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByArn)]
    [OutputType(typeof(ModelRegistry.Deployment))]
    public sealed class DeployModelVersionCommand : RegistryCmdlet
    {
        private const string ByVersion = "Version";
        private const string ByArn = "Arn";
        private const string ByName = "Name";

        /// <summary>The version to deploy, piped or given (from Get-MRModelVersion or Register-MRModelVersion): a version
        /// reached from a project is deployed only when the credentials act in the project's AWS_ACCOUNT_ID.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion? InputObject { get; set; }

        /// <summary>The model version's ARN. Binds a string piped by value, and by property name (a Deployment's ModelVersionArn).</summary>
        // Not Mandatory: a bare call must fail with NoInput, never prompt (a job's open stdin would hang).
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn)]
        [Alias("ModelPackageArn", "ModelVersionArn")]
        [ValidateNotNullOrEmpty]
        public string? Arn { get; set; }

        /// <summary>The version's group (AWS: ModelPackageGroupName), with -Version. Binds by property name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string? GroupName { get; set; }

        /// <summary>The version number in -GroupName's group (AWS: ModelPackageVersion). Binds by property name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageVersion")]
        [ValidateRange(1, 999999999)]
        public int? Version { get; set; }

        /// <summary>The endpoint to create, or to switch to this version when it exists.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(EndpointNameCompleter))]
        public string EndpointName { get; set; } = "";

        /// <summary>The real-time inference instance type; ml.m5.large unless given.</summary>
        [Parameter]
        [ValidateRealtimeInstanceType]
        [ArgumentCompleter(typeof(RealtimeInstanceTypeCompleter))]
        public string InstanceType { get; set; } = DeployRequest.DefaultInstanceType;

        /// <summary>How many instances serve the endpoint; 1 unless given.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int InitialInstanceCount { get; set; } = 1;

        /// <summary>The IAM role SageMaker assumes to run the model. Required for SageMaker; when not given, SAGEMAKER_EXECUTION_ROLE_ARN from -ConfigPath is used. The Local registry needs none.</summary>
        [Parameter]
        public string? ExecutionRoleArn { get; set; }

        /// <summary>The .env.shared to read SAGEMAKER_EXECUTION_ROLE_ARN from when -ExecutionRoleArn is not given, and AWS_ACCOUNT_ID from (when set, the deploy is refused unless the credentials act in that account); the session's (Set-MRConfiguration), else ./.env.shared (those two are skipped when missing; a -ConfigPath given here must exist, and a malformed AWS_ACCOUNT_ID refuses the deploy).</summary>
        [Parameter]
        public string? ConfigPath { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (a guard against acting in the wrong account). Binds by property name from the ExpectedAccountId of objects reached from a project (and a TeamProject's AccountId).</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        /// <summary>Wait, with a progress bar, until the endpoint is InService or Failed.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits before giving up (the deployment itself goes on); 1800 unless given.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSeconds { get; set; } = 1800;

        /// <summary>With -Wait: after a switch completes, delete the previous endpoint config and model if this module created them.</summary>
        [Parameter]
        public SwitchParameter RemovePrevious { get; set; }

        protected override void ProcessRecord()
        {
            var region = InputObject?.ConfiguredRegion ?? ConfiguredRegion;
            var connection = ResolveConnection(region, InputObject?.ExpectedAccountId ?? ExpectedAccountId);
            var registry = OpenRegistry(connection);
            string? arn;
            switch (ParameterSetName)
            {
                case ByVersion:
                    arn = InputObject?.Arn;
                    break;
                case ByName:
                    try
                    {
                        arn = new ModelVersionOperations(registry).VersionArn(GroupName!, Version!.Value);
                    }
                    catch (Exception ex) when (ex is not PipelineStoppedException)
                    {
                        WriteFailure(ex, $"{GroupName} version {Version}");
                        return;
                    }
                    break;
                default:
                    if (Arn is null)
                    {
                        if (!MyInvocation.ExpectingInput)
                            ThrowTerminatingError(ErrorRecords.NoInput("Deploy-MRModelVersion was given no version. Pipe a version (Get-MRModelVersion) or a version ARN, or use -Arn, or -GroupName with -Version. Nothing was deployed."));
                        return;
                    }
                    try
                    {
                        Engine.Config.Arns.Require(Arn, "-Arn", Engine.Config.Arns.LooksLikeArn(Arn) ? null : $"To name a version of a group, use -GroupName '{Arn}' -Version <n>.", Engine.Config.ArnKind.Version);
                    }
                    catch (RegistryException ex)
                    {
                        WriteFailure(ex, Arn);
                        return;
                    }
                    arn = Arn;
                    break;
            }
            if (string.IsNullOrEmpty(arn)) return;

            var request = new DeployRequest
            {
                ModelVersionArn = arn!,
                EndpointName = EndpointName,
                InstanceType = InstanceType,
                InstanceCount = InitialInstanceCount,
                ExecutionRoleArn = ExecutionRoleArn,
                Wait = Wait,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                RemovePrevious = RemovePrevious,
            };
            var operations = new DeploymentOperations(registry);
            var configured = Configured();
            if (request.ExecutionRoleArn is null && registry.Deployments.RequiresExecutionRole)
                request.ExecutionRoleArn = configured.ExecutionRoleArn;
            // The wrong-account guard, when the configuration names the account (AWS_ACCOUNT_ID).
            if (connection.Backend == RegistryBackend.SageMaker && configured.Refusal != null)
            {
                WriteFailure(configured.Refusal, arn);
                return;
            }
            // Every account this deploy was fed: the piped or given version's, -ExpectedAccountId, the configuration's.
            var accounts = Expected(InputObject?.ExpectedAccountId, ExpectedAccountId, configured.AccountId);
            if (PassAccountGuard(connection, new[] { arn! }, _ => accounts, a => a).Count == 0) return;

            DeploymentPlan plan;
            try
            {
                plan = operations.PlanAsync(request, Cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, arn);
                return;
            }
            WriteVerbose(plan.ToString());
            var target = $"{EndpointName} in {registry.Location}";
            if (plan.SwitchesLiveEndpoint)
            {
                // Taking a live endpoint off the version it serves is High impact; creating an endpoint stays Medium.
                var what = $"Switch endpoint '{EndpointName}' from {plan.CurrentlyServing} to version {plan.Version} of {plan.GroupName}";
                if (!ShouldProcess(target, what) || !ConfirmHighImpact(target, what, $"Switch live endpoint {EndpointName}", "switch")) return;
            }
            else if (!ShouldProcess(target, $"Deploy version {plan.Version} of {plan.GroupName}: {plan}")) return;

            var activity = $"Deploying {plan.GroupName} version {plan.Version} to {EndpointName}";
            var messages = new ConcurrentQueue<string>();
            var task = Task.Run(() => operations.ExecuteAsync(plan, request, messages.Enqueue, Cancellation));
            var progress = new ProgressRecord(Math.Abs(activity.GetHashCode() % 100000) + 1, activity, "Starting");
            while (!task.Wait(200))
                Pump(messages, progress);
            Pump(messages, progress);
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            try
            {
                WriteObject(task.GetAwaiter().GetResult().WithExpectedAccount(accounts.FirstOrDefault(), region));
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, arn);
            }
        }

        private void Pump(ConcurrentQueue<string> messages, ProgressRecord progress)
        {
            while (messages.TryDequeue(out var message))
            {
                WriteVerbose(message);
                progress.StatusDescription = message;
                WriteProgress(progress);
            }
        }

        // Strings and domain types, not the engine's settings type: fields of public cmdlet classes must not name
        // engine types (PowerShell reflects over them before the module's load context is hooked up).
        private (string? ExecutionRoleArn, string? AccountId, RegistryException? Refusal)? _configured;

        /// <summary>The role and account of -ConfigPath (else the session's, else ./.env.shared), read once. Refusal is set
        /// when the account guard cannot be trusted: AWS_ACCOUNT_ID is malformed, or a -ConfigPath given here cannot be
        /// read. Other problems of the file do not stop a deploy (a missing role is reported by the plan).</summary>
        private (string? ExecutionRoleArn, string? AccountId, RegistryException? Refusal) Configured()
        {
            if (_configured.HasValue) return _configured.Value;
            _configured = (null, null, null);
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(ConfigPath));
            if (!File.Exists(path))
            {
                if (ConfigPath != null)
                    _configured = (null, null, new RegistryException(RegistryErrorKind.NotFound, $"-ConfigPath '{path}' does not exist. Nothing was deployed.", path));
                return _configured.Value;
            }
            try
            {
                var catalog = ProjectCatalog.Load(path);
                var settings = catalog.Settings;
                // A malformed AWS_ACCOUNT_ID would switch the guard off silently; a -ConfigPath named here that cannot be
                // read (line 0) would too. Other problems of the file are not this command's business.
                var refusal = catalog.Problems.FirstOrDefault(p => p.Key == "AWS_ACCOUNT_ID" || (ConfigPath != null && p.Line == 0));
                _configured = (settings.ExecutionRoleArn, settings.AccountId, refusal);
                if (settings.ExecutionRoleArn != null) WriteVerbose($"Execution role from {path}: {settings.ExecutionRoleArn}");
                if (settings.AccountId != null) WriteVerbose($"Expected account from {path}: {settings.AccountId}");
            }
            catch (RegistryException ex)
            {
                _configured = (null, null, ConfigPath != null ? ex : null);
                WriteVerbose($"{path} was not used: {ex.Message}");
            }
            return _configured.Value;
        }
    }
}
