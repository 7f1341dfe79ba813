using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>One page of a listing; <see cref="NextToken"/> is null on the last page. <see cref="Damaged"/> holds one
    /// error per record of this page that could not be read (Kind Damaged, naming its file): the page still carries
    /// every other record.</summary>
    public sealed class Page<T>
    {
        private static readonly IReadOnlyList<RegistryException> NoneDamaged = Array.Empty<RegistryException>();

        public Page(IReadOnlyList<T> items, string? nextToken, IReadOnlyList<RegistryException>? damaged = null)
        {
            Items = items;
            NextToken = nextToken;
            Damaged = damaged ?? NoneDamaged;
        }

        public IReadOnlyList<T> Items { get; }
        public string? NextToken { get; }
        public IReadOnlyList<RegistryException> Damaged { get; }
    }

    /// <summary>Which way a listing by name runs (AWS: SortBy Name, SortOrder).</summary>
    public enum NameOrder
    {
        Ascending,
        Descending,
    }

    /// <summary>Filters for listing the versions of one group (AWS: ListModelPackages, always Versioned).</summary>
    public sealed class VersionQuery
    {
        public VersionQuery(string groupName) { GroupName = groupName; }
        public string GroupName { get; }
        public ApprovalStatus? Status { get; set; }
        public DateTime? CreatedAfter { get; set; }
        public DateTime? CreatedBefore { get; set; }
        /// <summary>Newest first when true (SortBy CreationTime).</summary>
        public bool Descending { get; set; }
        /// <summary>Page size, 1–100.</summary>
        public int PageSize { get; set; } = 100;
    }

    /// <summary>
    /// The model registry, in domain words. Two backends: SageMaker (over AWSSDK.Core) and Local (files).
    /// Every method throws <see cref="RegistryException"/> for service failures; nothing returns error codes.
    /// </summary>
    public interface IModelRegistry : IDisposable
    {
        /// <summary>Where this registry lives, for messages: "SageMaker ap-northeast-1", "Local /path".</summary>
        string Location { get; }

        /// <summary>ARN of a group of this name in this registry's region and account (no call made).</summary>
        string GroupArn(string groupName);

        /// <summary>The group, with its tags; null when it does not exist (AWS: DescribeModelPackageGroup + ListTags).</summary>
        Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct);

        /// <summary>One page of groups, by name in <paramref name="order"/>; <paramref name="nameContains"/> filters server-side.
        /// Tags are not filled in (AWS: ListModelPackageGroups, SortBy Name).</summary>
        Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct);

        /// <summary>Creates a group; throws AlreadyExists when the name is taken (AWS: CreateModelPackageGroup).</summary>
        Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

        /// <summary>Deletes an empty group; NotFound when missing (AWS: DeleteModelPackageGroup).</summary>
        Task DeleteGroupAsync(string name, CancellationToken ct);

        /// <summary>The group's resource policy (a JSON document), or null when it has none; NotFound when the group does not
        /// exist (AWS: GetModelPackageGroupPolicy).</summary>
        Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct);

        /// <summary>Sets the group's resource policy, replacing any it had; NotFound when the group does not exist, Invalid
        /// before any call when the document is not a JSON object or is over 20,480 characters (AWS: PutModelPackageGroupPolicy).</summary>
        Task PutGroupPolicyAsync(string groupName, string policy, CancellationToken ct);

        /// <summary>Removes the group's resource policy; NotFound when the group does not exist or has no policy
        /// (AWS: DeleteModelPackageGroupPolicy).</summary>
        Task DeleteGroupPolicyAsync(string groupName, CancellationToken ct);

        /// <summary>Tags of a group or version ARN (AWS: ListTags, every page).</summary>
        Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct);

        /// <summary>Adds or overwrites tags (AWS: AddTags).</summary>
        Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

        /// <summary>Removes tag keys (AWS: DeleteTags).</summary>
        Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct);

        /// <summary>One page of a group's versions (AWS: ListModelPackages, ModelPackageType=Versioned).
        /// NotFound when the group does not exist.</summary>
        Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct);

        /// <summary>A version in full; null when it does not exist (AWS: DescribeModelPackage).</summary>
        Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct);

        /// <summary>Registers a new version (AWS: CreateModelPackage with ModelPackageGroupName).</summary>
        Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct);

        /// <summary>Changes a version: approval, reason, customer metadata, lifecycle — exactly the members set in
        /// <paramref name="update"/>, in one call (AWS: UpdateModelPackage). Invalid before any call when the update
        /// breaks SageMaker's limits; NotFound when the version does not exist. Returns the version with the change
        /// applied; other fields only as far as the backend knows them without another call.</summary>
        Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct);

        /// <summary>Deletes a version; NotFound when missing (AWS: DeleteModelPackage).</summary>
        Task DeleteVersionAsync(string arn, CancellationToken ct);

        /// <summary>The account the caller acts as, for the wrong-account guard (AWS: STS GetCallerIdentity);
        /// null where the question does not apply (Local).</summary>
        Task<string?> GetCallerAccountAsync(CancellationToken ct);

        /// <summary>Where this registry's versions are deployed (models, endpoint configs, endpoints).</summary>
        IDeploymentTarget Deployments { get; }
    }
}
