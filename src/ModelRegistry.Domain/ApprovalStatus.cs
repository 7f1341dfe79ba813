namespace ModelRegistry
{
    /// <summary>Approval state of a model version (AWS: ModelApprovalStatus).</summary>
    public enum ApprovalStatus
    {
        PendingManualApproval,
        Approved,
        Rejected,
    }
}
