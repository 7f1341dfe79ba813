using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Config
{
    /// <summary>The module-wide settings from <c>.env.shared</c>, with the seed's defaults applied.</summary>
    public sealed class CatalogSettings
    {
        public CatalogSettings(string? region, string? accountId, string? company, string? profile, string outputDir,
            string? tagPrefix)
        {
            Region = region;
            AccountId = accountId;
            Company = company;
            Profile = profile;
            OutputDir = outputDir;
            TagPrefix = tagPrefix;
        }

        /// <summary>AWS_REGION (a region name's shape when set; otherwise a problem and null here); null leaves the
        /// choice to the AWS SDK's usual resolution.</summary>
        public string? Region { get; }
        /// <summary>AWS_ACCOUNT_ID (12 digits when set; otherwise a problem and null here).</summary>
        public string? AccountId { get; }
        public string? Company { get; }
        /// <summary>AWS_PROFILE.</summary>
        public string? Profile { get; }
        /// <summary>OUTPUT_DIR, default <c>output</c>; relative to the configuration's folder is the caller's choice.</summary>
        public string OutputDir { get; }
        /// <summary>The ManagedBy tag value: TAG_PREFIX, else <c>{COMPANY}-sagemaker</c>; null when neither is set.</summary>
        public string? TagPrefix { get; }
        /// <summary>SAGEMAKER_EXECUTION_ROLE_ARN: the role SageMaker assumes to run deployed models; optional.</summary>
        public string? ExecutionRoleArn { get; set; }
        /// <summary>MODEL_METRICS_S3_PREFIX: where the metrics files live (s3://bucket/prefix/); roles that read metrics get
        /// s3:GetObject on exactly that. Null when not set or not an S3 prefix (a problem then).</summary>
        public string? MetricsS3Prefix { get; set; }
        /// <summary>MODEL_LIFECYCLE_STAGES in promotion order (default Development Staging Production); null when the value
        /// has a problem (then in the catalog's problems).</summary>
        public LifecycleStages? LifecycleStages { get; set; }
        /// <summary>The file has a consumer accounts key (MODEL_REGISTRY_CONSUMER_ACCOUNTS or {TEAM}_CONSUMER_ACCOUNTS), even an
        /// empty one: its groups' sharing is managed, so Compare-MRModelGroup reads their resource policies.</summary>
        public bool SharingConfigured { get; set; }
    }

    /// <summary>
    /// <c>.env.shared</c> expanded into the <see cref="TeamProject"/>s the seed's scripts would create, every
    /// name checked against SageMaker's rules first. Never throws for configuration content: every problem is in
    /// <see cref="Problems"/> so a user sees them all at once; <see cref="Projects"/> holds only the valid ones.
    /// </summary>
    /// <remarks>
    /// Decisions where the seed is silent or lenient:
    /// <list type="bullet">
    /// <item>ENABLE_MODEL_REGISTRY absent or empty means enabled (bash <c>${X:-true}</c>); any other value than
    /// <c>true</c> (any case) disables: no projects, a warning, and TEAMS is not read.</item>
    /// <item>TEAMS missing or empty is a problem (the seed exits 0; a runbook with nothing to do is a mistake).</item>
    /// <item>Team ids are upper-cased invariantly for their keys (bash <c>${TEAM^^}</c>); a team id that cannot
    /// form a key (e.g. <c>a-b</c>, <c>1x</c>) is a problem on TEAMS, not silently mapped.</item>
    /// <item>A missing or empty TEAM_{TEAM}_FULLNAME falls back to the team id, with a warning.</item>
    /// <item>A team whose {TEAM}_PROJECTS is missing or empty is a problem and the team is skipped.</item>
    /// <item>Duplicate group names are compared case-insensitively (SageMaker's are); the first is kept.</item>
    /// <item>Keys that look like a team's (X_PROJECTS, TEAM_X_FULLNAME) for a team not in TEAMS get a warning:
    /// usually a typo.</item>
    /// </list>
    /// </remarks>
    public sealed class ProjectCatalog
    {
        public const string Phase = "2C";
        public const string DefaultOutputDir = "output";

        private ProjectCatalog(string path, bool enabled, CatalogSettings settings, List<TeamProject> all,
            List<TeamProject> projects, List<ConfigurationException> problems, List<string> warnings,
            List<string> unmatchedTeams, List<string> unmatchedProjects)
        {
            Path = path;
            Enabled = enabled;
            Settings = settings;
            AllProjects = all.AsReadOnly();
            Projects = projects.AsReadOnly();
            Problems = problems.AsReadOnly();
            Warnings = warnings.AsReadOnly();
            UnmatchedTeamPatterns = unmatchedTeams.AsReadOnly();
            UnmatchedProjectPatterns = unmatchedProjects.AsReadOnly();
        }

        public string Path { get; }
        /// <summary>False when ENABLE_MODEL_REGISTRY is not <c>true</c> or the file could not be read.</summary>
        public bool Enabled { get; }
        public CatalogSettings Settings { get; }
        /// <summary>The valid projects that pass the filters, in configuration order (TEAMS order, then list order).</summary>
        public IReadOnlyList<TeamProject> Projects { get; }
        /// <summary>Every valid project, before the filters.</summary>
        public IReadOnlyList<TeamProject> AllProjects { get; }
        /// <summary>The file's syntax problems, then the catalog's; each names file, line and key.</summary>
        public IReadOnlyList<ConfigurationException> Problems { get; }
        public IReadOnlyList<string> Warnings { get; }
        /// <summary>Team patterns that matched no valid team. Not an error here; the caller decides.</summary>
        public IReadOnlyList<string> UnmatchedTeamPatterns { get; }
        /// <summary>Project patterns that matched no valid project among the teams the team filter kept.</summary>
        public IReadOnlyList<string> UnmatchedProjectPatterns { get; }
        public bool HasProblems => Problems.Count > 0;

        /// <summary>Loads a file and expands it. <paramref name="teams"/> and <paramref name="projects"/> are
        /// wildcard patterns (<c>*</c>, <c>?</c>, <c>[a-z]</c>; case-insensitive); null or empty means all.</summary>
        public static ProjectCatalog Load(string path, IEnumerable<string>? teams = null, IEnumerable<string>? projects = null) =>
            FromEnvFile(EnvFile.Load(path), teams, projects);

        public static ProjectCatalog FromEnvFile(EnvFile file, IEnumerable<string>? teams = null, IEnumerable<string>? projects = null)
        {
            if (file == null) throw new ArgumentNullException(nameof(file));
            return new Builder(file).Build(Patterns(teams), Patterns(projects));
        }

        private static List<string> Patterns(IEnumerable<string>? patterns) =>
            patterns == null ? new List<string>() : patterns.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();

        private sealed class Builder
        {
            private static readonly char[] Whitespace = { ' ', '\t', '\n', '\r', '\v', '\f' };

            private readonly EnvFile _file;
            private readonly string _path;
            private readonly List<ConfigurationException> _problems;
            private readonly List<string> _warnings;
            private readonly ConsumerAccountKeys _consumers;

            public Builder(EnvFile file)
            {
                _file = file;
                _path = file.Path;
                _problems = new List<ConfigurationException>(file.Problems);
                _warnings = new List<string>(file.Warnings);
                _consumers = new ConsumerAccountKeys(file, Problem);
            }

            public ProjectCatalog Build(List<string> teamPatterns, List<string> projectPatterns)
            {
                var all = new List<TeamProject>();
                if (_file.IsUnreadable)
                    return Result(false, new CatalogSettings(null, null, null, null, DefaultOutputDir, null), all,
                        teamPatterns, projectPatterns);

                var region = Value("AWS_REGION");
                var regionBroken = region != null && !Naming.IsRegion(region);
                if (regionBroken)
                {
                    // The region becomes part of the SageMaker host name: a malformed one could send calls elsewhere.
                    Problem("AWS_REGION", $"'{region}' is not an AWS region name (e.g. ap-northeast-1); no project is given until it is fixed");
                    region = null;
                }
                var profile = Value("AWS_PROFILE");
                var company = Value("COMPANY");
                var outputDir = Value("OUTPUT_DIR") ?? DefaultOutputDir;
                var accountId = Value("AWS_ACCOUNT_ID");
                var accountBroken = accountId != null && !Naming.IsAccountId(accountId);
                if (accountBroken)
                {
                    Problem("AWS_ACCOUNT_ID", $"'{accountId}' is not an AWS account id (12 digits); no project is given until it is fixed, so nothing acts unguarded");
                    accountId = null;
                }

                var enabled = IsEnabled();
                var tagPrefix = enabled ? ManagedBy(company) : Value("TAG_PREFIX") ?? (company == null ? null : company + "-sagemaker");
                var settings = new CatalogSettings(region, accountId, company, profile, outputDir, tagPrefix)
                {
                    ExecutionRoleArn = Value("SAGEMAKER_EXECUTION_ROLE_ARN"),
                    MetricsS3Prefix = MetricsPrefix(),
                    LifecycleStages = LifecycleStages.From(_file, _problems),
                    SharingConfigured = _consumers.AnyPresent,
                };
                if (enabled)
                    ExpandTeams(settings, all); // also when the account is broken: every problem is reported at once
                // A mistyped AWS_ACCOUNT_ID must not switch the wrong-account guard off for what the projects feed,
                // nor a malformed AWS_REGION send them to another region (or host).
                if (accountBroken || regionBroken) all.Clear();
                return Result(enabled, settings, all, teamPatterns, projectPatterns);
            }

            private bool IsEnabled()
            {
                const string key = "ENABLE_MODEL_REGISTRY";
                var value = Value(key);
                if (value == null || string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase))
                    return true;
                Warn(key, Line(key), $"is '{value}', not 'true': the model registry is disabled and no projects are read");
                return false;
            }

            private string? ManagedBy(string? company)
            {
                string key;
                string value;
                var prefix = Value("TAG_PREFIX");
                if (prefix != null)
                {
                    key = "TAG_PREFIX";
                    value = prefix;
                }
                else if (company != null)
                {
                    key = "COMPANY";
                    value = company + "-sagemaker";
                }
                else
                {
                    Problem("TAG_PREFIX", 0, "neither TAG_PREFIX nor COMPANY is set; one is needed for the ManagedBy tag");
                    return null;
                }
                var error = Naming.CheckTagValue(value);
                if (error != null)
                {
                    Problem(key, $"the ManagedBy tag: {error}");
                    return null;
                }
                return value;
            }

            private void ExpandTeams(CatalogSettings settings, List<TeamProject> all)
            {
                if (!_file.TryGet("TEAMS", out var teamsEntry))
                {
                    Problem("TEAMS", 0, "TEAMS is not set; list the team ids, e.g. TEAMS=\"rc algo\"");
                    return;
                }
                var teamsLine = teamsEntry.Line;
                var teamIds = Split(teamsEntry.Value);
                if (teamIds.Length == 0)
                {
                    Problem("TEAMS", teamsLine, "is empty; list the team ids, e.g. TEAMS=\"rc algo\"");
                    return;
                }

                var seenTeams = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var teamKeys = new HashSet<string>(StringComparer.Ordinal);
                var groups = new Dictionary<string, (string Key, int Line)>(StringComparer.OrdinalIgnoreCase);
                foreach (var team in teamIds)
                {
                    if (!EnvFile.IsValidKey(team + "_PROJECTS"))
                    {
                        Problem("TEAMS", teamsLine, $"team id '{team}' cannot name its keys ({Upper(team)}_PROJECTS is not a " +
                                                    "valid key); use letters, digits and _, starting with a letter");
                        continue;
                    }
                    if (!seenTeams.Add(team))
                    {
                        Problem("TEAMS", teamsLine, $"team '{team}' is listed more than once; the first is used");
                        continue;
                    }
                    var upper = Upper(team);
                    teamKeys.Add(upper);

                    var fullNameKey = $"TEAM_{upper}_FULLNAME";
                    var fullName = Value(fullNameKey);
                    if (fullName == null)
                    {
                        Warn(fullNameKey, _file.TryGet(fullNameKey, out var f) ? f.Line : teamsLine,
                            $"is not set; the team id '{team}' is used as the full name in descriptions");
                        fullName = team;
                    }

                    var projectsKey = $"{upper}_PROJECTS";
                    if (!_file.TryGet(projectsKey, out var projectsEntry))
                    {
                        Problem(projectsKey, teamsLine, $"team '{team}' is listed in TEAMS but {projectsKey} is not set; the team is skipped");
                        continue;
                    }
                    var projectIds = Split(projectsEntry.Value);
                    if (projectIds.Length == 0)
                    {
                        Problem(projectsKey, projectsEntry.Line, $"is empty: team '{team}' has no projects and is skipped");
                        continue;
                    }

                    var rules = ApprovalRules(upper);
                    var consumers = _consumers.For(upper);
                    foreach (var project in projectIds)
                    {
                        var p = Expand(settings, team, fullName, fullNameKey, project, projectsEntry, groups);
                        if (p != null)
                            all.Add((rules.Count > 0 ? p.WithApprovalRequire(rules) : p).WithMetricsS3Prefix(settings.MetricsS3Prefix)
                                .WithConsumerAccounts(consumers));
                    }
                }

                WarnAboutStrayTeamKeys(teamKeys);
            }

            private static readonly Regex S3Prefix = new Regex(@"\As3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/[^*?\s]*)?\z", RegexOptions.CultureInvariant);

            /// <summary>MODEL_METRICS_S3_PREFIX=s3://bucket/prefix/ (no wildcards: the policy adds the one it needs).</summary>
            private string? MetricsPrefix()
            {
                const string key = "MODEL_METRICS_S3_PREFIX";
                var value = Value(key);
                if (value == null) return null;
                if (S3Prefix.IsMatch(value)) return value;
                Problem(key, $"'{value}' is not an S3 bucket or prefix like s3://acme-models/metrics/ (no wildcards)");
                return null;
            }

            /// <summary>{TEAM}_APPROVAL_REQUIRE="auc>=0.9 f1>=0.8": the team's default approval rules, in canonical form.
            /// A value that does not parse is a problem on its line, and the team then has no default rules.</summary>
            private IReadOnlyList<string> ApprovalRules(string upper)
            {
                var key = $"{upper}_APPROVAL_REQUIRE";
                if (!_file.TryGet(key, out var entry) || string.IsNullOrWhiteSpace(entry.Value)) return Array.Empty<string>();
                try
                {
                    return Metrics.MetricRule.ParseList(entry.Value).Select(r => r.ToString()).ToList();
                }
                catch (ArgumentException e)
                {
                    Problem(key, entry.Line, e.Message);
                    return Array.Empty<string>();
                }
            }

            private TeamProject? Expand(CatalogSettings settings, string team, string fullName, string fullNameKey,
                string project, EnvEntry projects, Dictionary<string, (string Key, int Line)> groups)
            {
                var groupName = $"{team}-{project}";
                var error = Naming.CheckGroupName(groupName);
                if (error != null)
                {
                    Problem(projects.Key, projects.Line, $"project '{project}' of team '{team}': {error}");
                    return null;
                }
                if (groups.TryGetValue(groupName, out var first))
                {
                    Problem(projects.Key, projects.Line, $"group '{groupName}' is listed more than once (first by " +
                                                         $"{first.Key} on line {first.Line}); the first is kept");
                    return null;
                }
                groups.Add(groupName, (projects.Key, projects.Line));

                var valid = true;
                var description = $"Models for {fullName}/{project}";
                error = Naming.CheckDescription(description);
                if (error != null)
                {
                    // The project part is already a valid entity name, so the full name is what to fix.
                    var (key, line) = _file.TryGet(fullNameKey, out var f) ? (fullNameKey, f.Line) : (projects.Key, projects.Line);
                    Problem(key, line, $"group '{groupName}': {error}");
                    valid = false;
                }

                var tags = new TagSet(new[]
                {
                    new KeyValuePair<string, string>("ManagedBy", settings.TagPrefix ?? string.Empty),
                    new KeyValuePair<string, string>("Team", team),
                    new KeyValuePair<string, string>("Project", project),
                    new KeyValuePair<string, string>("Phase", Phase),
                });
                foreach (var tag in tags)
                {
                    if (tag.Key == "ManagedBy") continue; // checked once, against TAG_PREFIX or COMPANY
                    error = Naming.CheckTagKey(tag.Key) ?? Naming.CheckTagValue(tag.Value);
                    if (error != null)
                    {
                        Problem(projects.Key, projects.Line, $"group '{groupName}', tag {tag.Key}: {error}");
                        valid = false;
                    }
                }

                if (!valid || settings.TagPrefix == null)
                    return null;
                return new TeamProject(team, fullName, project, groupName, description, tags, settings.Region,
                    settings.Company, settings.AccountId, _path, projects.Line, settings.ExecutionRoleArn);
            }

            private void WarnAboutStrayTeamKeys(HashSet<string> teamKeys)
            {
                foreach (var key in _file.Keys)
                {
                    string? team = null;
                    if (key.EndsWith("_PROJECTS", StringComparison.Ordinal) && key.Length > "_PROJECTS".Length)
                        team = key.Substring(0, key.Length - "_PROJECTS".Length);
                    else if (ConsumerAccountKeys.TeamOf(key) is string consumerTeam)
                        team = consumerTeam;
                    else if (key.StartsWith("TEAM_", StringComparison.Ordinal) && key.EndsWith("_FULLNAME", StringComparison.Ordinal)
                             && key.Length > "TEAM__FULLNAME".Length)
                        team = key.Substring("TEAM_".Length, key.Length - "TEAM__FULLNAME".Length);
                    if (team != null && !teamKeys.Contains(team))
                        Warn(key, Line(key), $"names team '{team}', which is not in TEAMS; it is ignored");
                }
            }

            private ProjectCatalog Result(bool enabled, CatalogSettings settings, List<TeamProject> all,
                List<string> teamPatterns, List<string> projectPatterns)
            {
                var teamRegexes = teamPatterns.Select(Wildcard.ToRegex).ToList();
                var projectRegexes = projectPatterns.Select(Wildcard.ToRegex).ToList();

                var byTeam = teamRegexes.Count == 0 ? all : all.Where(p => teamRegexes.Any(r => r.IsMatch(p.Team))).ToList();
                var selected = projectRegexes.Count == 0 ? byTeam : byTeam.Where(p => projectRegexes.Any(r => r.IsMatch(p.Project))).ToList();

                var unmatchedTeams = teamPatterns.Where((_, i) => !all.Any(p => teamRegexes[i].IsMatch(p.Team))).ToList();
                var unmatchedProjects = projectPatterns.Where((_, i) => !byTeam.Any(p => projectRegexes[i].IsMatch(p.Project))).ToList();

                return new ProjectCatalog(_path, enabled, settings, all, selected, _problems, _warnings,
                    unmatchedTeams, unmatchedProjects);
            }

            // A set but empty (or blank) key is treated as unset, as bash's ${X:-default} does.
            private string? Value(string key)
            {
                var v = _file.GetValue(key);
                return string.IsNullOrWhiteSpace(v) ? null : v;
            }

            private int Line(string key) => _file.TryGet(key, out var e) ? e.Line : 0;

            private void Problem(string key, string problem) => Problem(key, Line(key), problem);

            private void Problem(string key, int line, string problem) =>
                _problems.Add(new ConfigurationException(_path, line, key, problem));

            private void Warn(string key, int line, string message) =>
                _warnings.Add(line > 0 ? $"{_path}:{line}: {key}: {message}" : $"{_path}: {key}: {message}");

            private static string[] Split(string value) => value.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);

            private static string Upper(string team) => team.ToUpperInvariant();
        }
    }
}
