using System;

namespace ModelRegistry
{
    /// <summary>The small set of failures every backend reports; one helper turns them into ErrorRecords.</summary>
    public enum RegistryErrorKind
    {
        Invalid,
        NotFound,
        AlreadyExists,
        Conflict,
        Throttled,
        AccessDenied,
        Unavailable,
        /// <summary>Waited longer than allowed (e.g. for an endpoint to come InService).</summary>
        TimedOut,
        /// <summary>The service reports the resource as failed (e.g. an endpoint in status Failed).</summary>
        Failed,
        /// <summary>A stored record cannot be read (a Local registry file truncated, not JSON, or of the wrong shape);
        /// the target is the file. A listing reports each such record once and goes on with the rest.</summary>
        Damaged,
        /// <summary>The service's replies break the protocol: a listing hands back a page token it gave before
        /// (it would never end) or runs past any sane number of pages.</summary>
        BadReply,
    }

    /// <summary>A registry failure with the service's error code and request id where there is one.</summary>
    public class RegistryException : Exception
    {
        public RegistryException(RegistryErrorKind kind, string message, string? target = null,
            string? serviceCode = null, string? requestId = null, Exception? inner = null, string? reason = null)
            : base(message, inner)
        {
            Kind = kind;
            Reason = reason;
            Target = target;
            ServiceCode = serviceCode;
            RequestId = requestId;
        }

        public RegistryErrorKind Kind { get; }
        /// <summary>What the failure is about: a group name, a version ARN, a file.</summary>
        public string? Target { get; }
        /// <summary>The AWS error code (e.g. ValidationException, ThrottlingException), when from a service.</summary>
        public string? ServiceCode { get; }
        public string? RequestId { get; }
        /// <summary>The safety rule that refused the change (e.g. RejectedVersion, WrongAccount), null for other failures. Stable:
        /// it is the ErrorId's last part, ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt;.</summary>
        public string? Reason { get; }
    }

    /// <summary>A problem in a configuration file, naming the file, line and key.</summary>
    public sealed class ConfigurationException : RegistryException
    {
        public ConfigurationException(string path, int line, string? key, string problem)
            : base(RegistryErrorKind.Invalid, Format(path, line, key, problem), path)
        {
            Path = path;
            Line = line;
            Key = key;
            Problem = problem;
        }

        public string Path { get; }
        /// <summary>1-based line number; 0 when the problem is with the file as a whole.</summary>
        public int Line { get; }
        public string? Key { get; }
        public string Problem { get; }

        private static string Format(string path, int line, string? key, string problem)
        {
            var where = line > 0 ? $"{path}:{line}" : path;
            return key is null ? $"{where}: {problem}" : $"{where}: {key}: {problem}";
        }
    }
}
