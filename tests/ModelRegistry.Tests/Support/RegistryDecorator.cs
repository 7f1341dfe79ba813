using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Support;

/// <summary>Passes every call to an inner registry; tests override what they need to break or count.</summary>
public abstract class RegistryDecorator : IModelRegistry
{
    protected RegistryDecorator(IModelRegistry inner) { Inner = inner; }
    protected IModelRegistry Inner { get; }

    public virtual string Location => Inner.Location;
    public virtual string GroupArn(string groupName) => Inner.GroupArn(groupName);
    public virtual Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct) => Inner.GetGroupAsync(name, ct);
    public virtual Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct) => Inner.ListGroupsAsync(nameContains, nextToken, pageSize, order, ct);
    public virtual Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Inner.CreateGroupAsync(name, description, tags, ct);
    public virtual Task DeleteGroupAsync(string name, CancellationToken ct) => Inner.DeleteGroupAsync(name, ct);
    public virtual Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct) => Inner.GetGroupPolicyAsync(groupName, ct);
    public virtual Task PutGroupPolicyAsync(string groupName, string policy, CancellationToken ct) => Inner.PutGroupPolicyAsync(groupName, policy, ct);
    public virtual Task DeleteGroupPolicyAsync(string groupName, CancellationToken ct) => Inner.DeleteGroupPolicyAsync(groupName, ct);
    public virtual Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct) => Inner.GetTagsAsync(arn, ct);
    public virtual Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Inner.AddTagsAsync(arn, tags, ct);
    public virtual Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct) => Inner.RemoveTagsAsync(arn, keys, ct);
    public virtual Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct) => Inner.ListVersionsAsync(query, nextToken, ct);
    public virtual Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) => Inner.GetVersionAsync(arn, ct);
    public virtual Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct) => Inner.RegisterVersionAsync(spec, ct);
    public virtual Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct) => Inner.UpdateVersionAsync(arn, update, ct);
    public virtual Task DeleteVersionAsync(string arn, CancellationToken ct) => Inner.DeleteVersionAsync(arn, ct);
    public virtual Task<string?> GetCallerAccountAsync(CancellationToken ct) => Inner.GetCallerAccountAsync(ct);
    public virtual IDeploymentTarget Deployments => Inner.Deployments;
    public virtual void Dispose() { }
}
