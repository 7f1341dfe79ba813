using System;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>AWS EndpointStatus strings as the domain's <see cref="EndpointStatus"/>.</summary>
    internal static class EndpointStatuses
    {
        /// <summary>The status the service (or a Local record) gives; a value this module does not know is <see cref="EndpointStatus.Unknown"/>.</summary>
        public static EndpointStatus Parse(string? status) =>
            !string.IsNullOrEmpty(status) && char.IsLetter(status![0]) && Enum.TryParse<EndpointStatus>(status, ignoreCase: false, out var s)
                ? s
                : EndpointStatus.Unknown;
    }
}
