using System;
using System.Collections.Generic;
using System.Linq;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Engine.Operations;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// One ErrorId the module writes: ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt;, the ErrorCategory that goes with it (by
    /// name: the engine does not reference PowerShell), what it means and what a script does about it.
    /// </summary>
    public sealed class ErrorIdEntry
    {
        internal ErrorIdEntry(string kind, string reason, string category, string meaning, string action)
        {
            Kind = kind;
            Reason = reason;
            Category = category;
            Meaning = meaning;
            Action = action;
        }

        /// <summary>A <see cref="RegistryErrorKind"/> name, one of <see cref="ErrorIds.ModuleKinds"/>, or
        /// <see cref="ErrorIds.AnyKind"/> (the reason goes with any kind).</summary>
        public string Kind { get; }
        public string Reason { get; }
        /// <summary>The name of a System.Management.Automation.ErrorCategory value; empty: the kind's default category.</summary>
        public string Category { get; }
        public string Meaning { get; }
        public string Action { get; }

        /// <summary>ModelRegistry.Kind.Reason (ModelRegistry.&lt;Kind&gt;.Reason for a reason of any kind).</summary>
        public string Id => ErrorIds.Prefix + "." + Kind + "." + Reason;

        public override string ToString() => Id;
    }

    /// <summary>
    /// Every ErrorId the module writes, in one list (Hosting/ErrorRecords turns failures into ErrorRecords with it;
    /// the README's ErrorIds table lists exactly these, and a test holds the two together). An id is always
    /// ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt;: the kind is the <see cref="RegistryException.Kind"/> (or Stopped, File,
    /// Internal for failures outside a registry), the reason is <see cref="RegistryException.Reason"/> or, when the
    /// failure names none, the kind's default reason (NotFound → ResourceNotFound). Ids and reasons are stable:
    /// scripts branch on them.
    /// </summary>
    public static class ErrorIds
    {
        public const string Prefix = "ModelRegistry";
        /// <summary>The kind part of an entry whose reason goes with any kind (AccountCheck: the kind of the STS failure).</summary>
        public const string AnyKind = "<Kind>";

        // Kinds of failures outside a registry.
        public const string Stopped = nameof(Stopped);
        public const string File = nameof(File);
        public const string Internal = nameof(Internal);
        /// <summary>The kinds that are not a <see cref="RegistryErrorKind"/>.</summary>
        public static readonly IReadOnlyList<string> ModuleKinds = new[] { Stopped, File, Internal };

        // Reasons the engine does not name elsewhere (the rules' reasons are their own constants).
        public const string InvalidArgument = nameof(InvalidArgument);
        public const string NoInput = nameof(NoInput);
        public const string Rule = nameof(Rule);
        public const string MixedRegions = nameof(MixedRegions);
        public const string NothingToSet = nameof(NothingToSet);
        public const string Credential = nameof(Credential);
        public const string ResourceNotFound = nameof(ResourceNotFound);
        public const string NoSuchTeam = nameof(NoSuchTeam);
        public const string NoSuchProject = nameof(NoSuchProject);
        public const string ResourceExists = nameof(ResourceExists);
        public const string ResourceInUse = nameof(ResourceInUse);
        public const string Throttled = nameof(Throttled);
        public const string NotAuthorized = nameof(NotAuthorized);
        /// <summary>No credentials found, or the service did not accept them (expired, unknown, bad signature).</summary>
        public const string BadCredentials = nameof(BadCredentials);
        public const string Unavailable = nameof(Unavailable);
        public const string StillInProgress = nameof(StillInProgress);
        public const string ResourceFailed = nameof(ResourceFailed);
        public const string DamagedRecord = nameof(DamagedRecord);
        public const string EndlessListing = nameof(EndlessListing);
        public const string Cancelled = nameof(Cancelled);
        public const string ConfirmationRequired = nameof(ConfirmationRequired);
        public const string WriteFailed = nameof(WriteFailed);
        public const string Unexpected = nameof(Unexpected);

        // Whole ids the cmdlets use directly.
        public const string InvalidArgumentId = Prefix + ".Invalid." + InvalidArgument;
        public const string NoInputId = Prefix + ".Invalid." + NoInput;
        public const string ConfigNotFoundId = Prefix + ".NotFound." + ConfigurationException.NotFoundReason;
        public const string CancelledId = Prefix + "." + Stopped + "." + Cancelled;
        public const string ConfirmationRequiredId = Prefix + "." + Stopped + "." + ConfirmationRequired;
        public const string WriteFailedId = Prefix + "." + File + "." + WriteFailed;
        public const string UnexpectedId = Prefix + "." + Internal + "." + Unexpected;

        /// <summary>A refusal by a safety rule is an operation this state does not allow (InvalidOperation), not a busy
        /// resource to retry (ResourceBusy, the category of Conflict.ResourceInUse).</summary>
        private const string Refused = "InvalidOperation";

        /// <summary>Every id, grouped by kind; the first entry of each <see cref="RegistryErrorKind"/> is its default.</summary>
        public static readonly IReadOnlyList<ErrorIdEntry> All = new[]
        {
            E(RegistryErrorKind.Invalid, InvalidArgument, "InvalidArgument", "a parameter value, or a value in the request, that the module or the service does not take (SageMaker ValidationException)", "fix the input; retrying does not help"),
            E(RegistryErrorKind.Invalid, Arns.InvalidReason, "InvalidArgument", "a string that is not an ARN of the kind the parameter takes (`-Arn not-an-arn`)", "fix the input"),
            E(RegistryErrorKind.Invalid, NoInput, "InvalidArgument", "a command that needs input was given none (it never prompts)", "pipe objects or give the parameters"),
            // InvalidData, not InvalidArgument: the fault is in data the command read (the file), not in its parameters.
            E(RegistryErrorKind.Invalid, ConfigurationException.InvalidReason, "InvalidData", "a problem in `.env.shared` (or the file cannot be read), naming file, line and key: data the command read, not a parameter", "fix the file"),
            E(RegistryErrorKind.Invalid, LifecycleStages.UnknownStage, "InvalidArgument", "a lifecycle stage `MODEL_LIFECYCLE_STAGES` does not list", "use a listed stage, or add it to the file"),
            E(RegistryErrorKind.Invalid, Rule, "InvalidArgument", "an approval rule (`-Require`, `{TEAM}_APPROVAL_REQUIRE`) that cannot be read, or `-Require` where it does not apply", "fix the rule"),
            E(RegistryErrorKind.Invalid, MixedRegions, "InvalidArgument", "one command given versions from files that name different regions", "run one command per region"),
            E(RegistryErrorKind.Invalid, AccountGuard.Reason, "InvalidArgument", "an expected account (`AWS_ACCOUNT_ID`, `-ExpectedAccountId`) that is not 12 digits, so the wrong-account guard cannot be trusted", "fix the account id"),
            E(RegistryErrorKind.Invalid, NothingToSet, "InvalidArgument", "`Set-MRConfiguration` given nothing to set", "give `-ConfigPath`, `-TimeoutSec` or both"),
            E(RegistryErrorKind.Invalid, Credential, "InvalidArgument", "credential parameters that do not go together or cannot be used (`-AccessKey` without `-SecretKey`, a `-Credential` without keys)", "fix the parameters; no call was made"),

            E(RegistryErrorKind.NotFound, ResourceNotFound, "ObjectNotFound", "a group, version, endpoint or policy that does not exist (SageMaker ResourceNotFound)", "create it, or skip it (`-ErrorAction SilentlyContinue`)"),
            E(RegistryErrorKind.NotFound, ConfigurationException.NotFoundReason, "ObjectNotFound", "the configuration file (or its folder) does not exist", "create it, or point `Set-MRConfiguration -ConfigPath` at it"),
            E(RegistryErrorKind.NotFound, NoSuchTeam, "ObjectNotFound", "`-Team` names a team the file does not have (the message lists those it has)", "fix the name"),
            E(RegistryErrorKind.NotFound, NoSuchProject, "ObjectNotFound", "`-Project` names a project the file does not have (the message lists those it has)", "fix the name"),

            E(RegistryErrorKind.AlreadyExists, ResourceExists, "ResourceExists", "a group, model, endpoint config or endpoint of that name exists already", "use it, or choose another name"),

            E(RegistryErrorKind.Conflict, ResourceInUse, "ResourceBusy", "the resource's state does not allow it now: an endpoint is updating, a group still has versions, a name serves something else", "wait and run again, or resolve the conflict the message names"),
            E(RegistryErrorKind.Conflict, VersionGuards.RejectedVersion, Refused, "approving a Rejected version", "`-Force` if the approval is deliberate"),
            E(RegistryErrorKind.Conflict, VersionGuards.ApprovedVersion, Refused, "removing an Approved version, or a group holding one", "`-Force` if the removal is deliberate"),
            E(RegistryErrorKind.Conflict, VersionGuards.DeployedVersion, Refused, "rejecting, or withdrawing the approval of, or removing, a version that serves an endpoint (or its group); approving one is not refused", "`-Force`, or move the endpoint first"),
            E(RegistryErrorKind.Conflict, VersionGuards.NotApproved, Refused, "deploying a version that is not Approved", "approve it first; `-Force` does not override"),
            E(RegistryErrorKind.Conflict, VersionGuards.NotApprovedForStage, Refused, "putting a version that is not Approved in the last lifecycle stage", "approve it first; `-Force` does not override"),
            E(RegistryErrorKind.Conflict, VersionGuards.StageSkipped, Refused, "moving a version more than one lifecycle stage at a time, or from a stage the file does not list", "move one stage at a time, or `-Force`"),
            E(RegistryErrorKind.Conflict, VersionGuards.InLastStage, Refused, "rejecting a version in the last lifecycle stage", "`-Force` if the rejection is deliberate"),
            E(RegistryErrorKind.Conflict, Requirements.NotMetReason, Refused, "a gated approval whose metrics do not meet the rules (each failing rule and value named)", "do not approve; `-Force` does not override"),
            E(RegistryErrorKind.Conflict, GroupPolicyOperations.PolicyNotManaged, Refused, "a group resource policy the module did not write would be replaced or removed", "`-Force` if replacing it is deliberate"),
            E(RegistryErrorKind.Conflict, GroupSync.IncompleteConfiguration, Refused, "pruning while the configuration has problems", "fix the file; `-Force` does not override"),
            E(RegistryErrorKind.Conflict, GroupSync.NotManaged, Refused, "pruning a group whose ManagedBy tag is no longer this configuration's", "leave it; `-Force` does not override"),

            E(RegistryErrorKind.Throttled, Throttled, "LimitsExceeded", "the service kept throttling past the patience of the retry policy", "run again later, or lower `-ThrottleLimit`"),

            E(RegistryErrorKind.AccessDenied, NotAuthorized, "PermissionDenied", "the credentials are not allowed to make the call (AccessDeniedException, HTTP 403)", "grant the permission (`Get-MRIamPolicy`), or use another role"),
            E(RegistryErrorKind.AccessDenied, BadCredentials, "AuthenticationError", "no usable credentials: none found, or the service did not accept them (expired or unknown token, bad signature)", "sign in again or fix the profile, then run again"),
            // SecurityError, not PermissionDenied: the credentials may well be allowed to act, but in another account than the
            // configuration names, and acting there is what must not happen.
            E(RegistryErrorKind.AccessDenied, AccountGuard.Reason, "SecurityError", "the credentials act in another account than the configuration's `AWS_ACCOUNT_ID` (no SageMaker call was made)", "use the credentials of the configured account"),

            E(RegistryErrorKind.Unavailable, Unavailable, "ConnectionError", "the service (or a Local registry's folder) could not be reached, timed out or answered unreadably, after retries", "run again later"),

            E(RegistryErrorKind.TimedOut, StillInProgress, "OperationTimeout", "waited longer than allowed (an endpoint not InService within `-TimeoutSeconds`); the work goes on", "check later with `Get-MRDeployment`"),
            E(RegistryErrorKind.Failed, ResourceFailed, "InvalidResult", "the service reports the resource as failed (an endpoint in Failed, a rolled-back switch)", "read the failure reason; fix and deploy again"),
            E(RegistryErrorKind.Damaged, DamagedRecord, "InvalidData", "a Local registry file that cannot be read (reported once; the rest goes on)", "restore or remove the file the message names"),
            E(RegistryErrorKind.BadReply, EndlessListing, "ProtocolError", "a listing that would never end (a page token repeated, or too many pages)", "report it; run again later"),

            new ErrorIdEntry(AnyKind, AccountGuard.UncheckedReason, "", "STS could not say which account the credentials act in (the kind is STS's failure: Unavailable, AccessDenied, Throttled …): one error per command, naming STS and every input not acted on; category by kind", "as for the kind; nothing that expects an account was done"),

            new ErrorIdEntry(Stopped, Cancelled, "OperationStopped", "the command was stopped (Ctrl+C); what was done is reported", "run again to finish"),
            new ErrorIdEntry(Stopped, ConfirmationRequired, Refused, "a High-impact step needed a yes and the host could not ask (a job, a scheduled task); it was not done", "add `-Confirm:$false` (or `-Force` where offered) when it is meant"),
            new ErrorIdEntry(File, WriteFailed, "WriteError", "a file the command writes (`-Path`, `-OutDirectory`) could not be written", "fix the path or its permissions"),
            new ErrorIdEntry(Internal, Unexpected, "NotSpecified", "a failure the module did not foresee", "report it with the message"),
        };

        /// <summary>The kind's default entry (its first): the reason when a failure names none.</summary>
        public static ErrorIdEntry DefaultFor(RegistryErrorKind kind)
        {
            var name = kind.ToString();
            return All.First(e => e.Kind == name);
        }

        /// <summary>The entry of a whole id (ModelRegistry.Kind.Reason); a reason of any kind matches under every kind.</summary>
        public static ErrorIdEntry? Find(string id)
        {
            var parts = (id ?? "").Split('.');
            if (parts.Length != 3 || parts[0] != Prefix) return null;
            return All.FirstOrDefault(e => e.Kind == parts[1] && e.Reason == parts[2])
                ?? (Enum.TryParse<RegistryErrorKind>(parts[1], out _) ? All.FirstOrDefault(e => e.Kind == AnyKind && e.Reason == parts[2]) : null);
        }

        /// <summary>The id and category name for a registry failure: its kind and reason, or the kind's default reason.</summary>
        public static (string Id, string Category) For(RegistryErrorKind kind, string? reason)
        {
            var fallback = DefaultFor(kind);
            var id = Prefix + "." + kind + "." + (string.IsNullOrEmpty(reason) ? fallback.Reason : reason);
            var category = Find(id)?.Category;
            return (id, string.IsNullOrEmpty(category) ? fallback.Category : category!);
        }

        private static ErrorIdEntry E(RegistryErrorKind kind, string reason, string category, string meaning, string action) =>
            new ErrorIdEntry(kind.ToString(), reason, category, meaning, action);
    }
}
