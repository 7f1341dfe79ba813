using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Hosting
{
    /// <summary>-Region: the regions the module's AWS SDK knows (RegionEndpoint.EnumerableAllRegions), asked of the engine.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        private static readonly Lazy<IReadOnlyList<string>> Regions = new Lazy<IReadOnlyList<string>>(AwsNames.Regions);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Match(Regions.Value, wordToComplete);
    }

    /// <summary>-ProfileName: the profiles of the shared config and credentials files (AWS_CONFIG_FILE,
    /// AWS_SHARED_CREDENTIALS_FILE), or of the -ProfileLocation already on the command line.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var location = (fakeBoundParameters?["ProfileLocation"] ?? fakeBoundParameters?["ProfilesLocation"]
                ?? fakeBoundParameters?["AWSProfilesLocation"])?.ToString();
            try
            {
                if (location != null) location = Completion.FullPath(location);
                return Completion.Match(AwsNames.ProfileNames(location), wordToComplete);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>(); // an unreadable file completes nothing; the command will say why
            }
        }
    }
}
