using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>The one place where SDK and transport failures become <see cref="RegistryException"/>s.</summary>
    internal static class SageMakerErrors
    {
        public static RegistryException ToRegistryException(Exception error, string? target, string serviceName = "SageMaker")
        {
            switch (error)
            {
                case RegistryException already:
                    return already;
                case AmazonServiceException unreadable when IsUnreadableSuccess(unreadable):
                    // The service answered 2xx, so it acted, but the reply cannot be read: the caller cannot know
                    // what was done. Unavailable (retryable), and creates look up before any re-send.
                    return new RegistryException(RegistryErrorKind.Unavailable,
                        $"{serviceName}'s reply{For(target)} could not be read (HTTP {(int)unreadable.StatusCode}); the request may have taken effect: {Innermost(unreadable).Message}",
                        target, null, string.IsNullOrEmpty(unreadable.RequestId) ? null : unreadable.RequestId, unreadable);
                case AmazonServiceException service when service.InnerException is HttpErrorResponseException || service.StatusCode != 0 || service.ErrorCode != null:
                    return FromService(service.ErrorCode, service.Message, (int)service.StatusCode, service.RequestId, target, service);
                case HttpErrorResponseException http:
                    return FromService(null, http.Message, (int)(http.Response?.StatusCode ?? 0), http.Response?.GetHeaderValue("x-amzn-RequestId"), target, http);
            }

            if (IsConnectTimeout(error))
                return new RegistryException(RegistryErrorKind.Unavailable,
                    $"{serviceName} could not be reached{For(target)}: no connection within {SageMakerConnection.ConnectTimeout.TotalSeconds:0.#} s, so the request was not sent ({Innermost(error).Message})",
                    target, inner: error);
            if (IsTimeout(error))
                return new RegistryException(RegistryErrorKind.Unavailable,
                    $"{serviceName} timed out{For(target)}: no answer within the per-call timeout (-TimeoutSec sets it); the request may have been received: {Innermost(error).Message}", target, inner: error);
            if (IsTransportFailure(error))
                return new RegistryException(RegistryErrorKind.Unavailable,
                    $"{serviceName} could not be reached{For(target)}: {Innermost(error).Message}", target, inner: error);

            if (error is AmazonClientException client && client.Message.IndexOf("credential", StringComparison.OrdinalIgnoreCase) >= 0)
                return new RegistryException(RegistryErrorKind.AccessDenied,
                    $"No usable AWS credentials{For(target)}: {client.Message}", target, inner: error, reason: ErrorIds.BadCredentials);

            return new RegistryException(RegistryErrorKind.Invalid, $"{serviceName} call failed{For(target)}: {error.Message}", target, inner: error);
        }

        /// <summary>Kind for a service error code, message and HTTP status (code wins over status).</summary>
        internal static RegistryErrorKind Classify(string? code, string? message, int status)
        {
            var c = code ?? "";
            var m = message ?? "";
            if (c == "ValidationException")
            {
                // SageMaker reports missing resources as validation errors ("... does not exist"; for group policies
                // "Cannot find Model Package Group …" and "Cannot find resource policy …").
                if (Contains(m, "does not exist") || Contains(m, "not found") || Contains(m, "could not find") || Contains(m, "cannot find"))
                    return RegistryErrorKind.NotFound;
                if (Contains(m, "already exist"))
                    return RegistryErrorKind.AlreadyExists;
                return RegistryErrorKind.Invalid;
            }
            if (c.StartsWith("ResourceNotFound", StringComparison.Ordinal))
                return RegistryErrorKind.NotFound;
            if (c.StartsWith("ResourceInUse", StringComparison.Ordinal))
                return Contains(m, "already exist") ? RegistryErrorKind.AlreadyExists : RegistryErrorKind.Conflict;
            if (c == "ConflictException")
                return RegistryErrorKind.Conflict;
            if (c.StartsWith("Throttl", StringComparison.Ordinal) || c == "TooManyRequestsException" ||
                c == "RequestLimitExceeded" || c == "SlowDown" || status == 429)
                return RegistryErrorKind.Throttled;
            if (c.StartsWith("AccessDenied", StringComparison.Ordinal) || IsCredentialCode(c) || c == "NotAuthorized" || status == 401 || status == 403)
                return RegistryErrorKind.AccessDenied;
            if (status >= 500 || c == "InternalFailure" || c == "ServiceUnavailable")
                return RegistryErrorKind.Unavailable;
            return RegistryErrorKind.Invalid;
        }

        /// <summary>Codes saying the credentials themselves were not accepted (expired, unknown, badly signed), not that
        /// they lack a permission: reason BadCredentials.</summary>
        internal static bool IsCredentialCode(string? code) =>
            code != null && (code == "UnrecognizedClientException" || code.StartsWith("ExpiredToken", StringComparison.Ordinal) ||
            code == "InvalidClientTokenId" || code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" ||
            code == "IncompleteSignature" || code == "MissingAuthenticationToken");

        private static RegistryException FromService(string? code, string? message, int status, string? requestId,
            string? target, Exception inner)
        {
            var kind = Classify(code, message, status);
            var text = string.IsNullOrEmpty(message) ? $"HTTP {status}" : message!;
            if (status >= 500 && text.TrimStart().StartsWith("<", StringComparison.Ordinal))
                text = $"HTTP {status} (not a SageMaker error body; is the operation supported by this endpoint?)";
            var prefix = code is null ? "" : code + ": ";
            var reason = kind == RegistryErrorKind.AccessDenied && IsCredentialCode(code) ? ErrorIds.BadCredentials : null;
            return new RegistryException(kind, $"{prefix}{text}{For(target)}", target, code, string.IsNullOrEmpty(requestId) ? null : requestId, inner, reason);
        }

        /// <summary>Connection refused/reset, DNS, TLS, or a timeout. A cancellation the caller asked for
        /// never reaches here (callers rethrow it first), so a TaskCanceledException is a timeout.</summary>
        private static bool IsTransportFailure(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
            {
                if (e is HttpRequestException || e is SocketException || e is WebException || e is IOException ||
                    e is TimeoutException || e is TaskCanceledException)
                    return true;
            }
            return false;
        }

        /// <summary>A 2xx whose body did not parse (the SDK wraps the parser's error in AmazonUnmarshallingException).</summary>
        private static bool IsUnreadableSuccess(AmazonServiceException e)
        {
            var status = (int)e.StatusCode;
            if (status != 0 && (status < 200 || status >= 300)) return false;
            if (e is AmazonUnmarshallingException) return true;
            for (Exception? inner = e.InnerException; inner != null; inner = inner.InnerException)
                if (inner is System.Text.Json.JsonException) return true;
            return false;
        }

        /// <summary>The connection did not open within the connect timeout (SocketsHttpHandler.ConnectTimeout): nothing was sent.</summary>
        private static bool IsConnectTimeout(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
                if (e is TimeoutException && e.Message.IndexOf("ConnectTimeout", StringComparison.Ordinal) >= 0)
                    return true;
            return false;
        }

        /// <summary>The HTTP client's own timeout (the caller's cancellation never reaches here).</summary>
        private static bool IsTimeout(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
                if (e is TimeoutException || e is TaskCanceledException || e is OperationCanceledException)
                    return true;
            return false;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;

        private static string For(string? target) => string.IsNullOrEmpty(target) ? "" : $" ({target})";
    }
}
