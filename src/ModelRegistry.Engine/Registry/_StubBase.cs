using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks;
namespace ModelRegistry.Engine.Registry {
public abstract class StubRegistry : IModelRegistry {
 public string Location => "stub"; public string GroupArn(string n) => n; public void Dispose() {}
 public Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct) => throw new NotImplementedException();
 public Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) => throw new NotImplementedException();
 public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => throw new NotImplementedException();
 public Task DeleteGroupAsync(string name, CancellationToken ct) => throw new NotImplementedException();
 public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct) => throw new NotImplementedException();
 public Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => throw new NotImplementedException();
 public Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct) => throw new NotImplementedException();
 public Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct) => throw new NotImplementedException();
 public Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) => throw new NotImplementedException();
 public Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct) => throw new NotImplementedException();
 public Task<ModelVersion> SetApprovalAsync(string arn, ApprovalStatus status, string? reason, CancellationToken ct) => throw new NotImplementedException();
 public Task DeleteVersionAsync(string arn, CancellationToken ct) => throw new NotImplementedException();
 public Task<string?> GetCallerAccountAsync(CancellationToken ct) => throw new NotImplementedException();
}}
