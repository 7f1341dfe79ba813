using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets model groups' resource policies: whom each group is shared with.</para>
    /// <para type="description">Reads each group's resource policy (AWS: GetModelPackageGroupPolicy), several at a time, and emits one ModelGroupPolicy per group: the document (null when the group has none), the consumer accounts the module's statements grant, whether they may also approve (AllowsApproval), and whether ModelRegistry wrote it (IsManaged: a statement Sid starts with "ModelRegistry"; a policy written by hand is never replaced or removed without -Force). Takes TeamProject objects from Get-MRProject, or -Name (binds from ModelGroup objects). A group that does not exist is an error.</para>
    /// <example>
    ///   <code>Get-MRProject | Get-MRModelGroupPolicy</code>
    ///   <para>Whom every configured group is shared with.</para>
    /// </example>
    /// <example>
    ///   <code>(Get-MRModelGroupPolicy rc-fraud-detection).Document | ConvertFrom-Json | ConvertTo-Json -Depth 6</code>
    ///   <para>The policy document, indented.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRModelGroupPolicy", DefaultParameterSetName = ByProject)]
    [OutputType(typeof(ModelGroupPolicy))]
    public sealed class GetModelGroupPolicyCommand : GroupInputCmdlet
    {
        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            var names = groups.Select(g => g.Name).ToList();
            Drain(new GroupPolicyOperations(registry).Read(names, Bulk(ThrottleLimit), Cancellation), names.Count, "Reading model group policies", o =>
            {
                var input = groups[o.Index];
                if (o.Error != null) WriteFailure(o.Error, input.Target);
                else WriteObject(GroupPolicyPlan.ToPolicy(input.Name, o.Result).WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion));
            });
        }
    }
}
