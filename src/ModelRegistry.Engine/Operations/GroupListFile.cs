using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelRegistry.Engine.IO;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>output/model-groups.env in the seed's format (01-create-model-groups.sh).</summary>
    public static class GroupListFile
    {
        public const string DefaultPath = "output/model-groups.env";
        private const string GeneratedPrefix = "# Model Package Groups - Generated ";

        public static string Render(IReadOnlyList<string> groups, DateTime generatedUtc)
        {
            var text = new StringBuilder();
            text.Append(GeneratedPrefix).Append(generatedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ")).Append('\n');
            text.Append('\n');
            text.Append("# Total Groups: ").Append(groups.Count).Append('\n');
            text.Append("MODEL_GROUPS=\"").Append(string.Join(" ", groups)).Append("\"\n");
            text.Append('\n');
            text.Append("# Individual Group Names\n");
            foreach (var g in groups) text.Append("# - ").Append(g).Append('\n');
            return text.ToString();
        }

        /// <summary>
        /// Writes the file atomically. Returns false, and leaves the file alone, when it already lists the same
        /// groups: re-running a job then changes nothing, not even the date line.
        /// </summary>
        public static bool Write(string path, IReadOnlyList<string> groups, DateTime generatedUtc)
        {
            var content = Render(groups, generatedUtc);
            if (File.Exists(path) && SameExceptDate(File.ReadAllText(path), content)) return false;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            AtomicFile.Replace(path, new UTF8Encoding(false).GetBytes(content));
            return true;
        }

        private static bool SameExceptDate(string a, string b)
        {
            static IEnumerable<string> Body(string s) =>
                s.Replace("\r\n", "\n").Split('\n').Where(l => !l.StartsWith(GeneratedPrefix, StringComparison.Ordinal));
            return Body(a).SequenceEqual(Body(b));
        }
    }
}
