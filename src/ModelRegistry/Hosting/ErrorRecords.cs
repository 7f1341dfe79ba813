using System;
using System.Management.Automation;

namespace ModelRegistry.Hosting
{
    /// <summary>The one place that turns a failure into an ErrorRecord: a stable ErrorId, a category, the target.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            if (exception is AggregateException agg && agg.InnerExceptions.Count == 1) exception = agg.InnerExceptions[0];
            if (exception is ConfigurationException cex)
                return new ErrorRecord(cex, "ModelRegistry.Configuration", ErrorCategory.InvalidData, target ?? cex.Path);
            if (exception is RegistryException rex)
            {
                var record = new ErrorRecord(rex, ErrorId(rex), Category(rex), target ?? rex.Target);
                var detail = Detail(rex);
                if (detail != null) record.ErrorDetails = new ErrorDetails(rex.Message + " " + detail);
                if (rex.Kind == RegistryErrorKind.Throttled)
                    record.ErrorDetails = new ErrorDetails((record.ErrorDetails?.Message ?? rex.Message))
                    { RecommendedAction = "Retry later or lower -ThrottleLimit." };
                return record;
            }
            if (exception is OperationCanceledException)
                return new ErrorRecord(exception, "ModelRegistry.Cancelled", ErrorCategory.OperationStopped, target);
            if (exception is System.IO.IOException || exception is UnauthorizedAccessException)
                return new ErrorRecord(exception, "ModelRegistry.WriteFailed", ErrorCategory.WriteError, target);
            if (exception is ArgumentException)
                return new ErrorRecord(exception, "ModelRegistry.InvalidArgument", ErrorCategory.InvalidArgument, target);
            return new ErrorRecord(exception, "ModelRegistry.Unexpected", ErrorCategory.NotSpecified, target);
        }

        /// <summary>No configuration file to read (a command given no input, and neither the session's file nor ./.env.shared exists).</summary>
        public static ErrorRecord ConfigNotFound(string message, string path) =>
            new ErrorRecord(new System.IO.FileNotFoundException(message, path), "ModelRegistry.ConfigNotFound", ErrorCategory.ObjectNotFound, path);

        /// <summary>A command that needs input was given none (no pipeline, no parameters): it fails instead of prompting.</summary>
        public static ErrorRecord NoInput(string message) =>
            new ErrorRecord(new ArgumentException(message), "ModelRegistry.Invalid.NoInput", ErrorCategory.InvalidArgument, null);

        public static ErrorRecord Invalid(string message, object? target, string errorId = "ModelRegistry.Invalid") =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

        /// <summary>A High-impact step needed a yes, and the host could not ask (a job, a scheduled task): not done.</summary>
        public static ErrorRecord ConfirmationRequired(string message, object? target, Exception? cause) =>
            new ErrorRecord(new InvalidOperationException(message, cause), "ModelRegistry.ConfirmationRequired", ErrorCategory.InvalidOperation, target);

        private static string? Detail(RegistryException ex)
        {
            if (ex.ServiceCode is null && ex.RequestId is null) return null;
            if (ex.RequestId is null) return $"({ex.ServiceCode})";
            return $"({ex.ServiceCode ?? "error"}, request id {ex.RequestId})";
        }

        /// <summary>ModelRegistry.{Kind}, or ModelRegistry.{Kind}.{Reason} when a named rule refused.</summary>
        private static string ErrorId(RegistryException ex) =>
            "ModelRegistry." + ex.Kind + (string.IsNullOrEmpty(ex.Reason) ? "" : "." + ex.Reason);

        // A refusal by a safety rule (ModelRegistry.Conflict.RejectedVersion) is an operation this state does not allow
        // (InvalidOperation), not a busy resource to retry. The wrong-account refusal is a SecurityError, not
        // PermissionDenied: the credentials may well be allowed to act, but in another account than the configuration
        // names, and acting there is what must not happen.
        private static ErrorCategory Category(RegistryException ex) =>
            ex.Reason == Engine.Registry.AccountGuard.Reason ? ErrorCategory.SecurityError
            : ex.Reason != null && ex.Kind == RegistryErrorKind.Conflict ? ErrorCategory.InvalidOperation
            : Category(ex.Kind);

        private static ErrorCategory Category(RegistryErrorKind kind) => kind switch
        {
            RegistryErrorKind.Invalid => ErrorCategory.InvalidArgument,
            RegistryErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            RegistryErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
            RegistryErrorKind.Conflict => ErrorCategory.ResourceBusy,
            RegistryErrorKind.Throttled => ErrorCategory.LimitsExceeded,
            RegistryErrorKind.AccessDenied => ErrorCategory.PermissionDenied,
            RegistryErrorKind.Unavailable => ErrorCategory.ConnectionError,
            RegistryErrorKind.TimedOut => ErrorCategory.OperationTimeout,
            RegistryErrorKind.Failed => ErrorCategory.InvalidResult,
            RegistryErrorKind.Damaged => ErrorCategory.InvalidData,
            RegistryErrorKind.BadReply => ErrorCategory.ProtocolError,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
