using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>Names the AWS SDK knows, for tab completion: the cmdlets reach the SDK only through the engine, so AWS
    /// Tools for PowerShell's own AWSSDK.Core is never loaded beside ours.</summary>
    public static class AwsNames
    {
        /// <summary>The SDK's region names (RegionEndpoint.EnumerableAllRegions), e.g. eu-west-1.</summary>
        public static IReadOnlyList<string> Regions() =>
            RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName).OrderBy(n => n, StringComparer.Ordinal).ToList();

        /// <summary>The profiles of the shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
        /// else ~/.aws/config and ~/.aws/credentials), or of the credentials file at <paramref name="profileLocation"/>
        /// (-ProfileLocation) and its folder's config file. The section names are read, so a profile that only the config
        /// file has (SSO, a role, a region) is there too; the SDK's own store (the .NET SDK's encrypted one on Windows) adds its.</summary>
        public static IReadOnlyList<string> ProfileNames(string? profileLocation)
        {
            var location = string.IsNullOrWhiteSpace(profileLocation) ? null : profileLocation;
            var aws = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws");
            var credentials = location ?? Variable("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(aws, "credentials");
            var config = location != null ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location)) ?? ".", "config")
                : Variable("AWS_CONFIG_FILE") ?? Path.Combine(aws, "config");
            var names = Sections(credentials).Concat(Sections(config).Select(ConfigProfile).Where(n => n != null).Select(n => n!));
            try
            {
                names = names.Concat(new CredentialProfileStoreChain(location).ListProfiles().Select(p => p.Name)).ToList();
            }
            catch (Exception)
            {
                // the files' own sections are enough to complete
            }
            return names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        private static string? Variable(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

        // "[name]" headers of an ini file; none when it is missing or unreadable.
        private static IEnumerable<string> Sections(string path)
        {
            string[] lines;
            try
            {
                lines = File.Exists(path) ? File.ReadAllLines(path) : Array.Empty<string>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                lines = Array.Empty<string>();
            }
            return lines.Select(l => l.Trim()).Where(l => l.Length > 2 && l[0] == '[' && l[l.Length - 1] == ']')
                .Select(l => l.Substring(1, l.Length - 2).Trim());
        }

        // The config file names profiles "[profile name]" (and "[default]"); its other sections (sso-session, services) are not profiles.
        private static string? ConfigProfile(string section) =>
            section == "default" ? section
            : section.StartsWith("profile ", StringComparison.Ordinal) ? section.Substring("profile ".Length).Trim()
            : null;
    }
}
