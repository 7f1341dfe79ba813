using ModelRegistry.Engine.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>A group's resource policy, stored in its group.json and rewritten (temp file, rename) under the exclusive group lock.</summary>
    public sealed partial class LocalRegistry
    {
        public Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(groupName);
            var record = ReadGroup(LocalNames.Key(groupName)) ?? throw GroupNotFound(groupName);
            return string.IsNullOrEmpty(record.ResourcePolicy) ? null : record.ResourcePolicy;
        }, ct);

        public Task PutGroupPolicyAsync(string groupName, string policy, CancellationToken ct) => Run(() =>
        {
            RequestChecks.GroupPolicy(groupName, policy);
            ChangeGroupPolicy(groupName, _ => policy, ct);
            return true;
        }, ct);

        public Task DeleteGroupPolicyAsync(string groupName, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(groupName);
            ChangeGroupPolicy(groupName, current => current is null
                ? throw new RegistryException(RegistryErrorKind.NotFound, $"Model group '{groupName}' has no resource policy.", groupName)
                : null, ct);
            return true;
        }, ct);

        private void ChangeGroupPolicy(string groupName, System.Func<string?, string?> change, CancellationToken ct)
        {
            var key = LocalNames.Key(groupName);
            using (Lock(key, groupName, exclusive: true, ct))
            {
                var record = ReadGroup(key) ?? throw GroupNotFound(groupName);
                record.ResourcePolicy = change(string.IsNullOrEmpty(record.ResourcePolicy) ? null : record.ResourcePolicy);
                AtomicFile.Replace(GroupPath(key), LocalJson.Serialize(record));
            }
        }
    }
}
