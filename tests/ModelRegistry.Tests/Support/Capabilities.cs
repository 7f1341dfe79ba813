namespace ModelRegistry.Tests.Support;

/// <summary>
/// Tests of a SageMaker behaviour a backend lacks (moto's missing operations) are skipped with the reason, never
/// passed by returning early: the summary line then counts them as skipped. A test calling this must be a
/// [SkippableFact] or [SkippableTheory].
/// </summary>
public static class Capabilities
{
    /// <summary>Skips the test when any reason is set; a null reason means the backend has the capability.</summary>
    public static void Require(params string?[] missing)
    {
        foreach (var reason in missing)
            Skip.If(reason is not null, reason);
    }
}
