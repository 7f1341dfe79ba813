using System;

namespace ModelRegistry
{
    /// <summary>Output objects keep times in UTC (the …Utc properties) and show them local, as AWS Tools for PowerShell do.</summary>
    internal static class Times
    {
        /// <summary>The instant as UTC; a time without a kind is taken to be UTC already (as the services and the Local files give it).</summary>
        public static DateTime? Utc(DateTime? time) => time is DateTime t
            ? t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : (DateTime?)null;

        /// <summary>The instant in the machine's time zone.</summary>
        public static DateTime? Local(DateTime? utc) => Utc(utc)?.ToLocalTime();
    }
}
