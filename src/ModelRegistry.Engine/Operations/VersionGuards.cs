using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>What a command is about to do to a version; guards decide which changes they judge.</summary>
    public enum VersionChange
    {
        /// <summary>UpdateModelPackage: approval, reason, metadata, lifecycle.</summary>
        Update,
        /// <summary>DeleteModelPackage.</summary>
        Remove,
        /// <summary>Creating a model from the version and serving it on an endpoint.</summary>
        Deploy,
        /// <summary>CreateModelPackage with a lifecycle stage: the guard sees the version about to be registered
        /// (its approval status, no stage yet) and the stage as <see cref="VersionGuardContext.Update"/>'s lifecycle.</summary>
        Register,
    }

    /// <summary>What a guard sees: the version as the registry holds it NOW (never a piped copy), and the change.</summary>
    public sealed class VersionGuardContext
    {
        public VersionGuardContext(VersionChange change, ModelVersion current, VersionUpdate? update, DeployedVersions deployed)
        {
            Change = change;
            Current = current ?? throw new ArgumentNullException(nameof(current));
            Update = update;
            Deployed = deployed;
        }

        public VersionChange Change { get; }
        /// <summary>The registry's current state of the version, read for this command (batched per group).</summary>
        public ModelVersion Current { get; }
        /// <summary>The requested update, for <see cref="VersionChange.Update"/>.</summary>
        public VersionUpdate? Update { get; }
        /// <summary>What serves endpoints, read once per command.</summary>
        public DeployedVersions Deployed { get; }

        /// <summary>The stage the change puts the version in (an update's or a registration's lifecycle); null when it sets none.</summary>
        public string? NewStage => Change == VersionChange.Update || Change == VersionChange.Register ? Update?.Lifecycle?.Stage : null;

        /// <summary>True when the update changes the approval status.</summary>
        public bool ChangesStatus => Change == VersionChange.Update && Update?.Status is ApprovalStatus s && s != Current.Status;

        /// <summary>"version 3 of 'g'", for messages.</summary>
        public string Name => Change == VersionChange.Register ? $"The new version of '{Current.GroupName}'" : $"Version {Current.Version} of '{Current.GroupName}'";
    }

    /// <summary>
    /// One named safety check. <see cref="Reason"/> is stable: it becomes the ErrorId's last part
    /// (ModelRegistry.Conflict.&lt;Reason&gt;), so scripts can branch on it.
    /// </summary>
    public sealed class VersionGuard
    {
        public VersionGuard(string reason, bool forceOverrides, Func<VersionGuardContext, CancellationToken, Task<string?>> check)
        {
            if (string.IsNullOrEmpty(reason) || !reason.All(char.IsLetterOrDigit))
                throw new ArgumentException("A guard's reason is one word of letters and digits (it is part of an ErrorId).", nameof(reason));
            Reason = reason;
            ForceOverrides = forceOverrides;
            Check = check ?? throw new ArgumentNullException(nameof(check));
        }

        /// <summary>The stable name of the rule, e.g. RejectedVersion.</summary>
        public string Reason { get; }
        /// <summary>Whether -Force lets the change through; false for rules nothing overrides.</summary>
        public bool ForceOverrides { get; }
        /// <summary>Null when the change may go ahead; otherwise why not (a clause naming the version and the rule).</summary>
        public Func<VersionGuardContext, CancellationToken, Task<string?>> Check { get; }

        public override string ToString() => Reason + (ForceOverrides ? " (-Force overrides)" : "");
    }

    /// <summary>
    /// The version guards, in one list, judged in order; the first that refuses stops the change. They always
    /// judge the registry's current state: ModelVersionOperations re-reads every version it changes, removes or
    /// deploys (one listing per group, see <see cref="CurrentVersions"/>) — that re-read is not a check -Force can
    /// skip. The lifecycle stage rules judge against <see cref="Stages"/> (MODEL_LIFECYCLE_STAGES); later rules (metric
    /// requirements) are added with <see cref="Add"/>.
    /// </summary>
    public sealed class VersionGuards
    {
        public const string RejectedVersion = nameof(RejectedVersion);
        public const string ApprovedVersion = nameof(ApprovedVersion);
        public const string DeployedVersion = nameof(DeployedVersion);
        public const string NotApproved = nameof(NotApproved);
        public const string NotApprovedForStage = nameof(NotApprovedForStage);
        public const string StageSkipped = nameof(StageSkipped);
        public const string InLastStage = nameof(InLastStage);

        private readonly List<VersionGuard> _checks;

        /// <summary>The built-in rules; the stage rules judge against <paramref name="stages"/> (the default stages when null).</summary>
        public VersionGuards(LifecycleStages? stages = null)
        {
            Stages = stages ?? LifecycleStages.Default;
            _checks = BuiltIn();
        }

        /// <summary>The lifecycle stages in promotion order (MODEL_LIFECYCLE_STAGES) the stage rules judge by.</summary>
        public LifecycleStages Stages { get; }

        private List<VersionGuard> BuiltIn() => new List<VersionGuard>
        {
            // Approving what a reviewer rejected takes a deliberate -Force.
            new VersionGuard(RejectedVersion, forceOverrides: true, (c, ct) => Done(
                c.Change == VersionChange.Update && c.Update?.Status == ApprovalStatus.Approved && c.Current.Status == ApprovalStatus.Rejected
                    ? $"{c.Name} was Rejected{Quoted(c.Current.ApprovalDescription)}; approving a rejected version needs -Force"
                    : null)),
            // A deletion cannot be undone: an approved version is what deployments use.
            new VersionGuard(ApprovedVersion, forceOverrides: true, (c, ct) => Done(
                c.Change == VersionChange.Remove && c.Current.Status == ApprovalStatus.Approved
                    ? $"{c.Name} is Approved; removing an approved version needs -Force"
                    : null)),
            // Only Approved versions are served; no -Force makes an unreviewed model live.
            new VersionGuard(NotApproved, forceOverrides: false, (c, ct) => Done(
                c.Change == VersionChange.Deploy && c.Current.Status != ApprovalStatus.Approved
                    ? $"{c.Name} is {c.Current.Status}; only Approved versions are deployed"
                    : null)),
            // The last stage (Production) holds only what a reviewer approved; no -Force puts anything else there.
            new VersionGuard(NotApprovedForStage, forceOverrides: false, (c, ct) => Done(
                c.NewStage != null && Stages.IsLast(c.NewStage) && (c.Update?.Status ?? c.Current.Status) is var status && status != ApprovalStatus.Approved
                    ? $"{c.Name} is {status}; only an Approved version enters {Stages.Last}, the last lifecycle stage, and -Force does not change that"
                    : null)),
            // Promotion goes one stage at a time (either way); skipping one, or moving from a stage the configuration
            // does not list, takes a deliberate -Force. A new version may start in any stage.
            new VersionGuard(StageSkipped, forceOverrides: true, (c, ct) => Done(c.Change == VersionChange.Update && c.NewStage != null ? Skipped(c) : null)),
            // Rejecting what is in the last stage (what production runs) takes a deliberate -Force.
            new VersionGuard(InLastStage, forceOverrides: true, (c, ct) => Done(
                c.ChangesStatus && c.Update?.Status == ApprovalStatus.Rejected && Stages.IsLast(c.Current.Stage)
                    ? $"{c.Name} is in {c.Current.Stage}, the last lifecycle stage; rejecting it needs -Force"
                    : null)),
            // Last: it reads every endpoint (once per command). Approving a served version takes nothing from what
            // serves (the registry catches up with the endpoint), so only a change to another status, or a removal, is judged.
            new VersionGuard(DeployedVersion, forceOverrides: true, async (c, ct) =>
            {
                if (!(c.ChangesStatus && TakesApproval(c.Update!.Status) || c.Change == VersionChange.Remove)) return null;
                var endpoints = await c.Deployed.EndpointsServingAsync(c.Current.Arn, ct).ConfigureAwait(false);
                if (endpoints.Count == 0) return null;
                var doing = c.Change == VersionChange.Remove ? "removing" : c.Update!.Status == ApprovalStatus.Rejected ? "rejecting" : "withdrawing the approval of";
                return $"{c.Name} serves endpoint(s) {string.Join(", ", endpoints)}; {doing} a deployed version needs -Force";
            }),
        };

        /// <summary>A status change the deployed-version guard judges: to anything but Approved (approving takes nothing
        /// from what an endpoint serves). Removals are judged too; the operations prefetch endpoints by the same rule.</summary>
        internal static bool TakesApproval(ApprovalStatus? to) => to is ApprovalStatus s && s != ApprovalStatus.Approved;

        /// <summary>Why a stage change skips a stage, or null when it moves at most one stage.</summary>
        private string? Skipped(VersionGuardContext c)
        {
            var from = Stages.IndexOf(c.Current.Stage);
            var to = Stages.IndexOf(c.NewStage);
            if (c.Current.Stage != null && from < 0)
                return $"{c.Name} is in stage '{c.Current.Stage}', which {LifecycleStages.Key} ({Stages}) does not list; moving it to {c.NewStage} needs -Force";
            if (to < 0 || Math.Abs(to - from) <= 1) return null; // an unknown target is refused before the guards (UnknownStage)
            var between = from < to ? Stages.Names.Skip(from + 1).Take(to - from - 1) : Stages.Names.Skip(to + 1).Take(from - to - 1).Reverse();
            var where = c.Current.Stage is null ? "in no stage yet" : $"in {Stages.Names[from]}";
            return $"{c.Name} is {where}; moving it to {Stages.Names[to]} skips {string.Join(", ", between)}: a version moves one stage at a time, and skipping needs -Force";
        }

        /// <summary>The checks in the order they are judged.</summary>
        public IReadOnlyList<VersionGuard> Checks => _checks;

        /// <summary>Adds a rule (judged after the built-in ones); its reason must be new.</summary>
        public void Add(VersionGuard guard)
        {
            if (guard is null) throw new ArgumentNullException(nameof(guard));
            if (_checks.Any(g => g.Reason == guard.Reason)) throw new ArgumentException($"A guard named {guard.Reason} exists already.", nameof(guard));
            _checks.Add(guard);
        }

        /// <summary>
        /// Judges a change; throws Conflict with the refusing guard's reason, or returns when every rule lets it
        /// through. With <paramref name="force"/>, rules that -Force overrides are not judged (nor their reads made).
        /// </summary>
        public async Task CheckAsync(VersionGuardContext context, bool force, CancellationToken ct)
        {
            var refusals = await RefusalsAsync(context, force, firstOnly: true, ct).ConfigureAwait(false);
            if (refusals.Count > 0) throw refusals[0].Error;
        }

        /// <summary>Every rule that refuses the change (not only the first), for a group's plan that lists them all.</summary>
        public Task<IReadOnlyList<(VersionGuard Guard, RegistryException Error)>> RefusalsAsync(VersionGuardContext context, bool force, CancellationToken ct) =>
            RefusalsAsync(context, force, firstOnly: false, ct);

        private async Task<IReadOnlyList<(VersionGuard Guard, RegistryException Error)>> RefusalsAsync(VersionGuardContext context, bool force,
            bool firstOnly, CancellationToken ct)
        {
            var refusals = new List<(VersionGuard, RegistryException)>();
            foreach (var guard in _checks)
            {
                if (force && guard.ForceOverrides) continue;
                var refusal = await guard.Check(context, ct).ConfigureAwait(false);
                if (refusal is null) continue;
                refusals.Add((guard, new RegistryException(RegistryErrorKind.Conflict, $"{refusal}. {NothingDone(context.Change)}",
                    context.Current.Arn, reason: guard.Reason)));
                if (firstOnly) break;
            }
            return refusals;
        }

        internal static string NothingDone(VersionChange change) => change switch
        {
            VersionChange.Remove => "Nothing was deleted.",
            VersionChange.Deploy => "Nothing was created.",
            VersionChange.Register => "Nothing was registered.",
            _ => "Nothing was changed.",
        };

        private static string Quoted(string? reason) => string.IsNullOrEmpty(reason) ? "" : $" (\"{reason}\")";

        private static Task<string?> Done(string? refusal) => Task.FromResult(refusal);
    }
}
