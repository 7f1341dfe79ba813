using System;
using System.Collections.Generic;
using System.Linq;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Config
{
    /// <summary>
    /// The lifecycle stages a version moves through, in promotion order: <c>.env.shared</c>
    /// <c>MODEL_LIFECYCLE_STAGES="Development Staging Production"</c> (the default when the key is unset or blank).
    /// Names are SageMaker's (AWS: ModelLifeCycle.Stage, botocore EntityName) and compare case-insensitively; the
    /// configured spelling is what is sent. The last stage is the one only an Approved version enters.
    /// </summary>
    public sealed class LifecycleStages
    {
        /// <summary>The .env.shared key.</summary>
        public const string Key = "MODEL_LIFECYCLE_STAGES";
        /// <summary>The ErrorId reason of a stage name that is not configured (ModelRegistry.Invalid.UnknownStage).</summary>
        public const string UnknownStage = nameof(UnknownStage);

        private static readonly char[] Whitespace = { ' ', '\t', '\n', '\r', '\v', '\f' };

        /// <summary>Development, Staging, Production.</summary>
        public static LifecycleStages Default { get; } = new LifecycleStages(new[] { "Development", "Staging", "Production" });

        private LifecycleStages(IReadOnlyList<string> names) { Names = names; }

        /// <summary>The stages in promotion order, as configured.</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>The last stage (e.g. Production): only an Approved version enters it.</summary>
        public string Last => Names[Names.Count - 1];

        /// <summary>The position of a stage in promotion order (case-insensitive); -1 for null or a stage not listed.</summary>
        public int IndexOf(string? stage)
        {
            if (stage is null) return -1;
            for (var i = 0; i < Names.Count; i++)
                if (string.Equals(Names[i], stage, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        /// <summary>True when <paramref name="stage"/> is the last stage.</summary>
        public bool IsLast(string? stage) => IndexOf(stage) == Names.Count - 1;

        /// <summary>The configured spelling of <paramref name="stage"/>; Invalid (reason UnknownStage) naming the stages when it is not one of them.</summary>
        public string Resolve(string? stage)
        {
            var i = IndexOf(stage);
            if (i >= 0) return Names[i];
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"'{stage}' is not a lifecycle stage; {Key} lists {this} (in promotion order). Nothing was changed.", stage, reason: UnknownStage);
        }

        /// <summary>"Development, Staging, Production".</summary>
        public override string ToString() => string.Join(", ", Names);

        /// <summary>Parses a value: stage names separated by whitespace, in promotion order. Throws ArgumentException naming the problem.</summary>
        public static LifecycleStages Parse(string value)
        {
            var names = (value ?? "").Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0) throw new ArgumentException("lists no stage; name the stages in promotion order, e.g. \"Development Staging Production\"");
            var bad = names.Where(n => !VersionLifecycle.IsEntityName(n)).ToList();
            if (bad.Count > 0)
                throw new ArgumentException($"{string.Join(", ", bad.Select(n => $"'{n}'"))} {(bad.Count == 1 ? "is not a stage name" : "are not stage names")}: " +
                                            "SageMaker takes 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit; separate stages with spaces");
            var twice = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (twice.Count > 0)
                throw new ArgumentException($"{string.Join(", ", twice.Select(n => $"'{n}'"))} is listed more than once (stage names compare case-insensitively)");
            return new LifecycleStages(names);
        }

        /// <summary>
        /// The stages a file configures: <see cref="Default"/> when the key is unset or blank. A value that does not
        /// parse, or a line the file's reader dropped for this key, is a problem naming file, line and key (added to
        /// <paramref name="problems"/> unless the file reported it already), and the result is then null: a command
        /// that judges stages must not guess them.
        /// </summary>
        public static LifecycleStages? From(EnvFile file, ICollection<ConfigurationException> problems)
        {
            if (file is null) throw new ArgumentNullException(nameof(file));
            if (problems is null) throw new ArgumentNullException(nameof(problems));
            // A line of this key the reader could not take (e.g. unquoted spaces) is in the file's problems already.
            if (file.Problems.Any(p => p.Key == Key)) return null;
            if (!file.TryGet(Key, out var entry) || string.IsNullOrWhiteSpace(entry.Value)) return Default;
            try
            {
                return Parse(entry.Value);
            }
            catch (ArgumentException e)
            {
                problems.Add(new ConfigurationException(file.Path, entry.Line, Key, e.Message));
                return null;
            }
        }
    }
}
