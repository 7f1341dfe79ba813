using System;
using System.Threading;

namespace ModelRegistry.Engine.Diagnostics
{
    /// <summary>One call to a service, as -Verbose and -Debug show it.</summary>
    public sealed class ServiceCall
    {
        public ServiceCall(string service, string operation, string? target, TimeSpan duration, int attempts, string? requestId, string? errorCode)
        {
            Service = service;
            Operation = operation;
            Target = target;
            Duration = duration;
            Attempts = attempts;
            RequestId = requestId;
            ErrorCode = errorCode;
        }

        public string Service { get; }
        public string Operation { get; }
        public string? Target { get; }
        public TimeSpan Duration { get; }
        /// <summary>How many times the request was sent (1 + retries).</summary>
        public int Attempts { get; }
        public string? RequestId { get; }
        public string? ErrorCode { get; }

        public override string ToString() =>
            $"{Service} {Operation}{(Target is null ? "" : " " + Target)}: {Duration.TotalMilliseconds:0} ms" +
            (Attempts > 1 ? $", {Attempts - 1} retr{(Attempts == 2 ? "y" : "ies")}" : "") +
            (ErrorCode is null ? "" : $", failed ({ErrorCode})");
    }

    /// <summary>
    /// Where backends report their service calls. A listener is scoped to the async flow that registered it
    /// (AsyncLocal), so each command sees its own calls — including those its bulk workers make — and
    /// nothing is collected when nobody listens.
    /// </summary>
    public static class ServiceCallLog
    {
        private static readonly AsyncLocal<Action<ServiceCall>?> Listener = new AsyncLocal<Action<ServiceCall>?>();

        /// <summary>Starts listening in the current flow; dispose to stop.</summary>
        public static IDisposable Listen(Action<ServiceCall> listener)
        {
            var previous = Listener.Value;
            Listener.Value = listener;
            return new Restore(previous);
        }

        public static bool IsListening => Listener.Value != null;

        public static void Report(ServiceCall call) => Listener.Value?.Invoke(call);

        private sealed class Restore : IDisposable
        {
            private readonly Action<ServiceCall>? _previous;
            public Restore(Action<ServiceCall>? previous) { _previous = previous; }
            public void Dispose() => Listener.Value = _previous;
        }
    }
}
