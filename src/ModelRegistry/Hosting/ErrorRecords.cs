using System;
using System.Management.Automation;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// The one place that turns a failure into an ErrorRecord: ErrorId ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt; and its
    /// category from the one list of ids (<see cref="ErrorIds"/>, which the README's table lists), and the target.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            if (exception is AggregateException agg && agg.InnerExceptions.Count == 1) exception = agg.InnerExceptions[0];
            if (exception is RegistryException rex)
            {
                // A ConfigurationException is one too: Invalid.ConfigInvalid, or NotFound.ConfigNotFound for a missing file.
                var (id, category) = ErrorIds.For(rex.Kind, rex.Reason);
                var record = new ErrorRecord(rex, id, Parse(category), target ?? rex.Target);
                var detail = Detail(rex);
                if (detail != null) record.ErrorDetails = new ErrorDetails(rex.Message + " " + detail);
                if (rex.Kind == RegistryErrorKind.Throttled)
                    record.ErrorDetails = new ErrorDetails((record.ErrorDetails?.Message ?? rex.Message))
                    { RecommendedAction = "Retry later or lower -ThrottleLimit." };
                return record;
            }
            if (exception is OperationCanceledException) return Record(exception, ErrorIds.CancelledId, target);
            if (exception is System.IO.IOException || exception is UnauthorizedAccessException) return Record(exception, ErrorIds.WriteFailedId, target);
            if (exception is ArgumentException) return Record(exception, ErrorIds.InvalidArgumentId, target);
            return Record(exception, ErrorIds.UnexpectedId, target);
        }

        /// <summary>No configuration file to read (a command given no input, and neither the session's file nor ./.env.shared exists).</summary>
        public static ErrorRecord ConfigNotFound(string message, string path) =>
            Record(new System.IO.FileNotFoundException(message, path), ErrorIds.ConfigNotFoundId, path);

        /// <summary>A command that needs input was given none (no pipeline, no parameters): it fails instead of prompting.</summary>
        public static ErrorRecord NoInput(string message) => Record(new ArgumentException(message), ErrorIds.NoInputId, null);

        /// <summary>Parameters the command cannot take: ModelRegistry.Invalid.InvalidArgument, or the Invalid id given
        /// (<paramref name="errorId"/>, one of <see cref="ErrorIds.All"/>).</summary>
        public static ErrorRecord Invalid(string message, object? target, string errorId = ErrorIds.InvalidArgumentId) =>
            Record(new ArgumentException(message), errorId, target);

        /// <summary>A High-impact step needed a yes, and the host could not ask (a job, a scheduled task): not done.</summary>
        public static ErrorRecord ConfirmationRequired(string message, object? target, Exception? cause) =>
            Record(new InvalidOperationException(message, cause), ErrorIds.ConfirmationRequiredId, target);

        /// <summary>A record with an id from the list and the category the list gives it.</summary>
        private static ErrorRecord Record(Exception exception, string errorId, object? target) =>
            new ErrorRecord(exception, errorId, Parse(ErrorIds.Find(errorId)?.Category), target);

        private static ErrorCategory Parse(string? category) =>
            Enum.TryParse<ErrorCategory>(category, out var value) ? value : ErrorCategory.NotSpecified;

        private static string? Detail(RegistryException ex)
        {
            if (ex.ServiceCode is null && ex.RequestId is null) return null;
            if (ex.RequestId is null) return $"({ex.ServiceCode})";
            return $"({ex.ServiceCode ?? "error"}, request id {ex.RequestId})";
        }
    }
}
