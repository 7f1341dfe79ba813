using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// The wrong-account guard (the seed's common.sh: sts get-caller-identity against AWS_ACCOUNT_ID), in one place.
    /// Every mutating cmdlet asks it before its first registry call, for each input that carries an expected account
    /// (a TeamProject's AccountId, the ExpectedAccountId of groups, versions and deployments reached from one, or
    /// -ExpectedAccountId). The caller's account is asked once per registry (endpoint, region, profile) in a process.
    /// </summary>
    public static class AccountGuard
    {
        /// <summary>The refusal's <see cref="RegistryException.Reason"/>: ErrorId ModelRegistry.AccessDenied.WrongAccount.</summary>
        public const string Reason = "WrongAccount";

        private static readonly ConcurrentDictionary<string, Lazy<Task<string?>>> CallerAccounts =
            new ConcurrentDictionary<string, Lazy<Task<string?>>>(StringComparer.Ordinal);

        /// <summary>
        /// The account the registry's credentials act in (SageMaker: one sts:GetCallerIdentity), or null where the guard
        /// does not apply: the Local registry has no caller identity (its configured account only names its ARNs).
        /// </summary>
        public static async Task<string?> CallerAccountAsync(RegistryConnection connection, CancellationToken ct)
        {
            if (connection.Backend != RegistryBackend.SageMaker) return null;
            var key = RegistryFactory.Key(connection);
            var registry = RegistryFactory.Get(connection);
            var lazy = CallerAccounts.GetOrAdd(key, _ => new Lazy<Task<string?>>(() => registry.GetCallerAccountAsync(CancellationToken.None)));
            try
            {
                return await lazy.Value.ConfigureAwait(false);
            }
            catch
            {
                // Do not cache a failure (a transient network error must not poison the session).
                CallerAccounts.TryRemove(key, out _);
                throw;
            }
        }

        /// <summary>
        /// The refusal for one input, or null when it may go on: its expected account must be a 12-digit account id and
        /// the caller's (<paramref name="actual"/>, from <see cref="CallerAccountAsync"/>; null = does not apply).
        /// </summary>
        public static RegistryException? Check(string expected, string? actual, string location, string? target)
        {
            if (!Naming.IsAccountId(expected))
                return new RegistryException(RegistryErrorKind.Invalid,
                    $"The expected AWS account '{expected}' is not a 12-digit account id, so the wrong-account guard cannot be trusted. Nothing was changed.",
                    target, reason: Reason);
            if (actual is null || string.Equals(actual, expected, StringComparison.Ordinal)) return null;
            return new RegistryException(RegistryErrorKind.AccessDenied,
                $"The configuration expects AWS account {expected} (AWS_ACCOUNT_ID), but the credentials for {location} act as account {actual}. Nothing was changed.",
                target, reason: Reason);
        }

        /// <summary>The reason of the one error a command writes when the caller's account cannot be asked (STS failed):
        /// ErrorId ModelRegistry.&lt;Kind&gt;.AccountCheck, the kind of the STS failure (Unavailable, AccessDenied, Throttled …).</summary>
        public const string UncheckedReason = "AccountCheck";

        /// <summary>The one error for the inputs that expect an account when it cannot be asked: the STS failure's kind,
        /// its message, and what was not done.</summary>
        public static RegistryException Unchecked(Exception failure, IReadOnlyList<string> targets)
        {
            var kind = failure is RegistryException r ? r.Kind : RegistryErrorKind.Unavailable;
            var names = string.Join(", ", targets.Take(20)) + (targets.Count > 20 ? $", … ({targets.Count} in all)" : "");
            return new RegistryException(kind,
                $"The wrong-account guard could not ask STS which account the credentials act in ({failure.Message}), so nothing that expects an account was done: {names}.",
                null, (failure as RegistryException)?.ServiceCode, (failure as RegistryException)?.RequestId, failure, UncheckedReason);
        }

        /// <summary>Throws the refusal when the caller's account is not <paramref name="expected"/> (no-op when null or empty).</summary>
        public static async Task EnsureAsync(RegistryConnection connection, string? expected, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(expected)) return;
            var actual = Naming.IsAccountId(expected) ? await CallerAccountAsync(connection, ct).ConfigureAwait(false) : null;
            var refusal = Check(expected!, actual, RegistryFactory.Get(connection).Location, expected);
            if (refusal != null) throw refusal;
        }

        /// <summary>Forgets the cached answers (tests, Connect-MRRegistry -Force).</summary>
        internal static void Reset() => CallerAccounts.Clear();
    }
}
