using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ModelRegistry.Engine.Deployment;

namespace ModelRegistry.Hosting
{
    /// <summary>Accepts only SageMaker real-time inference instance types (the generated list from botocore).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateRealtimeInstanceTypeAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var text = arguments?.ToString();
            if (!DeploymentOperations.IsRealtimeInstanceType(text))
                throw new ValidationMetadataException($"'{text}' is not a SageMaker real-time inference instance type (e.g. ml.m5.large, ml.c5.xlarge).");
        }
    }

    /// <summary>Tab completion of real-time instance types.</summary>
    public sealed class RealtimeInstanceTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            return DeploymentOperations.RealtimeInstanceTypes()
                .Where(t => t.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(t => new CompletionResult(t));
        }
    }
}
