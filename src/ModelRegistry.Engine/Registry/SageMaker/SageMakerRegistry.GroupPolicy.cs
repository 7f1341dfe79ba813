using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>A group's resource policy: GetModelPackageGroupPolicy, PutModelPackageGroupPolicy, DeleteModelPackageGroupPolicy.</summary>
    public sealed partial class SageMakerRegistry
    {
        /// <summary>SageMaker answers a group without a policy and a missing group alike (ValidationException "Cannot
        /// find …"): only then is one describe made, to tell the two apart.</summary>
        public async Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct)
        {
            RequestChecks.GroupName(groupName);
            try
            {
                var body = await CallAsync("GetModelPackageGroupPolicy", w => w.WriteString("ModelPackageGroupName", groupName), groupName, ct)
                    .ConfigureAwait(false);
                var policy = Str(body, "ResourcePolicy");
                return string.IsNullOrEmpty(policy) ? null : policy;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                var group = await CallOrNullAsync("DescribeModelPackageGroup", w => w.WriteString("ModelPackageGroupName", groupName), groupName, ct)
                    .ConfigureAwait(false);
                if (group is null)
                    throw new RegistryException(RegistryErrorKind.NotFound, $"Model group '{groupName}' does not exist.", groupName, e.ServiceCode, e.RequestId, e);
                return null;
            }
        }

        /// <summary>Setting a whole document is safe to send again (Idempotency.Safe).</summary>
        public async Task PutGroupPolicyAsync(string groupName, string policy, CancellationToken ct)
        {
            RequestChecks.GroupPolicy(groupName, policy);
            await CallAsync("PutModelPackageGroupPolicy", w =>
            {
                w.WriteString("ModelPackageGroupName", groupName);
                w.WriteString("ResourcePolicy", policy);
            }, groupName, ct).ConfigureAwait(false);
        }

        public async Task DeleteGroupPolicyAsync(string groupName, CancellationToken ct)
        {
            RequestChecks.GroupName(groupName);
            await CallAsync("DeleteModelPackageGroupPolicy", w => w.WriteString("ModelPackageGroupName", groupName), groupName, ct, Idempotency.Delete)
                .ConfigureAwait(false);
        }
    }
}
