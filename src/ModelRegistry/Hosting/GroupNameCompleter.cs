using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Hosting
{
    /// <summary>Tab completion of group names from the session's registry, cached briefly so repeated tabs are instant.</summary>
    public sealed class GroupNameCompleter : IArgumentCompleter
    {
        private static readonly CompletionCache Cache = new CompletionCache();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Match(Cache.Get(connection =>
            {
                // Completion must never hang the prompt: a few seconds at most.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                // A damaged record only loses its own name here.
                return RegistryFactory.Get(connection).EnumerateGroups(null, timeout.Token, damaged: _ => { }).Select(g => g.Name).ToList();
            }), wordToComplete);
    }
}
