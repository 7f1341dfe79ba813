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
        /// <summary>What exactly failed, where the module knows more than the kind: the safety rule that refused the change
        /// (e.g. RejectedVersion, WrongAccount), ConfigInvalid, BadCredentials …; null otherwise. Stable: it is the ErrorId's
        /// last part, ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt; (null: the kind's default reason, e.g. ResourceNotFound).</summary>
        public string? Reason { get; }
    }

    /// <summary>A problem in a configuration file, naming the file, line and key: ErrorId ModelRegistry.Invalid.ConfigInvalid,
    /// or ModelRegistry.NotFound.ConfigNotFound when the file does not exist.</summary>
    public sealed class ConfigurationException : RegistryException
    {
        /// <summary>The reason of a problem in the file's content or an unreadable file.</summary>
        public const string InvalidReason = "ConfigInvalid";
        /// <summary>The reason when the file (or its folder) does not exist.</summary>
        public const string NotFoundReason = "ConfigNotFound";

        public ConfigurationException(string path, int line, string? key, string problem)
            : this(path, line, key, problem, RegistryErrorKind.Invalid, InvalidReason)
        {
        }

        private ConfigurationException(string path, int line, string? key, string problem, RegistryErrorKind kind, string reason)
            : base(kind, Format(path, line, key, problem), path, reason: reason)
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

        /// <summary>The file (or its folder) does not exist: kind NotFound, reason ConfigNotFound.</summary>
        internal static ConfigurationException FileNotFound(string path, string problem) =>
            new ConfigurationException(path, 0, null, problem, RegistryErrorKind.NotFound, NotFoundReason);

        private static string Format(string path, int line, string? key, string problem)
        {
            var where = line > 0 ? $"{path}:{line}" : path;
            return key is null ? $"{where}: {problem}" : $"{where}: {key}: {problem}";
        }
    }
}
