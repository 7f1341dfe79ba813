using System;
using System.Collections.Generic;
using System.Linq;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>Why a group must stay, named like a version guard's refusal (its reason is the ErrorId's last part).</summary>
    public sealed class GroupBlocker
    {
        public GroupBlocker(string reason, string text, bool forceOverrides)
        {
            Reason = reason;
            Text = text;
            ForceOverrides = forceOverrides;
        }

        public string Reason { get; }
        public string Text { get; }
        public bool ForceOverrides { get; }
    }

    /// <summary>
    /// A group and the versions that must go before it, read just now, with the verdict: <see cref="Refusal"/> is
    /// null when it may go, else the error to report (nothing is deleted). Made by
    /// <see cref="ModelGroupOperations.PlanRemovalAsync"/>; carried out by its RemoveVersions then RemoveGroupAsync.
    /// </summary>
    public sealed class GroupRemovalPlan
    {
        internal GroupRemovalPlan(ModelGroup group, IReadOnlyList<ModelVersion> versions, IReadOnlyList<GroupBlocker> blockers)
        {
            Group = group;
            Versions = versions;
            Blockers = blockers;
            Refusal = blockers.Count == 0 ? null : RefusalOf(group.Name, blockers);
        }

        public ModelGroup Group { get; }
        public IReadOnlyList<ModelVersion> Versions { get; }
        /// <summary>Every rule that keeps the group, in order: the caller's own, then the version guards'.</summary>
        public IReadOnlyList<GroupBlocker> Blockers { get; }
        /// <summary>Conflict carrying the first blocker's reason; null when the group may be removed.</summary>
        public RegistryException? Refusal { get; }

        private static RegistryException RefusalOf(string name, IReadOnlyList<GroupBlocker> blockers)
        {
            var hint = blockers.All(b => b.ForceOverrides) ? " Use -Force to remove it anyway." : "";
            return new RegistryException(RegistryErrorKind.Conflict,
                $"Model group '{name}' was not removed: {string.Join("; ", blockers.Select(b => b.Text))}. Nothing was deleted.{hint}",
                name, reason: blockers[0].Reason);
        }

        /// <summary>The version guards' refusals folded per rule: the first one's words, and the other versions' numbers.</summary>
        internal static IEnumerable<GroupBlocker> Fold(IEnumerable<(ModelVersion Version, RegistryException Refusal, bool ForceOverrides)> refusals) =>
            refusals.GroupBy(r => r.Refusal.Reason ?? r.Refusal.Kind.ToString()).Select(g =>
            {
                var first = g.OrderBy(r => r.Version.Version).First();
                var text = StripNothingDone(first.Refusal.Message);
                var others = g.Select(r => r.Version.Version).Where(n => n != first.Version.Version).OrderBy(n => n).ToList();
                if (others.Count > 0) text += $" (so are version(s) {string.Join(", ", others)})";
                return new GroupBlocker(g.Key, text, g.All(r => r.ForceOverrides));
            });

        private static string StripNothingDone(string message)
        {
            var end = message.IndexOf(". Nothing was", StringComparison.Ordinal);
            return end > 0 ? message.Substring(0, end) : message.TrimEnd('.');
        }
    }
}
