using System;
using System.Linq;
using ModelRegistry.Engine.Operations;

namespace ModelRegistry.Cmdlets
{
    /// <summary>How the cmdlet half of a group removal ended.</summary>
    internal enum GroupRemovalEnd
    {
        /// <summary>A rule kept the group; the refusal was written as an error.</summary>
        Refused,
        /// <summary>-WhatIf, or the user said no.</summary>
        Declined,
        /// <summary>A version or the group could not be deleted; the errors were written.</summary>
        Failed,
        Removed,
    }

    public abstract partial class RegistryCmdlet
    {
        /// <summary>
        /// The cmdlet half of the one group-removal path (plan → refuse → delete versions → delete group), shared by
        /// Remove-MRModelGroup and Sync-MRModelGroup -Prune. A refused plan is an error — under -WhatIf too, as the
        /// real run would meet it; -WhatIf then names every version and the group in deletion order; otherwise
        /// <paramref name="confirm"/> asks, the versions go (progress, an error each), then the group.
        /// <paramref name="why"/> (e.g. "no longer configured") goes into what is asked and shown;
        /// <paramref name="detail"/> says what happened, for the caller's result object.
        /// </summary>
        private protected GroupRemovalEnd RemoveGroup(ModelGroupOperations operations, GroupRemovalPlan plan, object target,
            string? why, int throttleLimit, Func<string, bool> confirm, out string? detail)
        {
            var name = plan.Group.Name;
            if (plan.Refusal != null)
            {
                WriteFailure(plan.Refusal, target);
                detail = plan.Refusal.Message;
                return GroupRemovalEnd.Refused;
            }
            if (operations.Deployed.Unavailable != null) WriteWarning($"{name}: {operations.Deployed.Unavailable}.");

            detail = null;
            if (IsWhatIf())
            {
                foreach (var v in plan.Versions) ShouldProcess(v.Arn, $"Remove model version {v.Version} ({v.Status})");
                ShouldProcess(plan.Group.Arn, why is null ? "Remove model group" : $"Remove model group ({why})");
                return GroupRemovalEnd.Declined;
            }
            var group = why is null ? "Remove model group" : $"Remove model group {why}";
            var what = plan.Versions.Count == 0
                ? $"{group} (it holds no versions)"
                : $"{group}{(why is null ? "" : ",")} and its {plan.Versions.Count} version(s): {string.Join(", ", plan.Versions.Select(v => $"{v.Version} ({v.Status})"))}";
            if (!confirm(what)) return GroupRemovalEnd.Declined;

            var notRemoved = 0;
            notRemoved += Drain(operations.RemoveVersions(plan, Bulk(throttleLimit), Cancellation), plan.Versions.Count, $"Removing versions of {name}", outcome =>
            {
                if (outcome.Succeeded)
                {
                    WriteVerbose($"Removed model version {outcome.Input.Arn}");
                    return;
                }
                notRemoved++;
                if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.Arn);
            });
            try
            {
                operations.RemoveGroupAsync(plan, notRemoved, Cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is RegistryException || ex is OperationCanceledException)
            {
                WriteFailure(ex, target);
                detail = ex.Message;
                return GroupRemovalEnd.Failed;
            }
            WriteVerbose($"Removed model group {plan.Group.Arn}");
            detail = $"{plan.Versions.Count} version(s) removed";
            return GroupRemovalEnd.Removed;
        }
    }
}
