using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelRegistry.Engine.Config
{
    /// <summary>One effective <c>KEY=VALUE</c>: the value after quotes and references are resolved, and the
    /// 1-based line of the definition that won (a later definition overrides an earlier one).</summary>
    public sealed class EnvEntry
    {
        public EnvEntry(string key, string value, int line)
        {
            Key = key;
            Value = value;
            Line = line;
        }

        public string Key { get; }
        public string Value { get; }
        public int Line { get; }

        public override string ToString() => $"{Key}={Value}";
    }

    /// <summary>
    /// A <c>.env.shared</c> file read as data, the subset of bash assignment syntax such files use. Nothing in
    /// the file is ever executed: anything that would need a shell (command substitution, commands, special
    /// parameters) is a problem, not a value.
    /// </summary>
    /// <remarks>
    /// <para>Accepted: blank lines; <c>#</c> comments; <c>KEY=VALUE</c> with an optional <c>export </c>;
    /// <c>KEY+=VALUE</c> (append, as bash); <c>export KEY</c> alone (no effect on values). A value is one bash
    /// word made of unquoted text (<c>\x</c> escapes x), <c>'single'</c> (literal) and <c>"double"</c> quoted
    /// parts (escapes <c>\" \\ \$ \`</c>; other backslashes are kept). <c>$NAME</c>, <c>${NAME}</c>,
    /// <c>${NAME:-default}</c> and <c>${NAME-default}</c> expand, unquoted or in double quotes, to keys defined
    /// earlier in this file only — never the process environment, so a result does not depend on the machine.
    /// An undefined reference expands to empty (as bash) with a warning. A trailing comment needs whitespace
    /// before its <c>#</c>, as in bash.</para>
    /// <para>Problems (every one is collected; the line's assignment is dropped): <c>$(…)</c>, <c>$((…))</c>,
    /// backticks, <c>$'…'</c>, special parameters (<c>$1 $? $$</c>…), other <c>${…}</c> forms, unterminated
    /// quotes (values cannot span lines), a trailing <c>\</c> continuation, unquoted whitespace or
    /// <c>; &amp; | &lt; &gt; ( )</c> in a value, spaces around <c>=</c>, invalid key names, arrays, and any
    /// line that is not an assignment (<c>source x</c>, <c>if …</c>).</para>
    /// <para>Encoding: UTF-8 with or without BOM; a UTF-16 file with a BOM (what Windows PowerShell's
    /// <c>Out-File</c> writes) is decoded too. LF, CRLF and CR-only (classic Mac OS) line ends: each of them ends
    /// a line, so a CR-only file is never read as one long line.</para>
    /// </remarks>
    public sealed partial class EnvFile
    {
        private readonly Dictionary<string, EnvEntry> _entries;

        private EnvFile(string path, Dictionary<string, EnvEntry> entries, List<string> keys,
            List<ConfigurationException> problems, List<string> warnings)
        {
            Path = path;
            _entries = entries;
            Keys = keys.AsReadOnly();
            Problems = problems.AsReadOnly();
            Warnings = warnings.AsReadOnly();
        }

        /// <summary>The path as given; used in every message.</summary>
        public string Path { get; }
        /// <summary>Defined keys in the order of their first definition.</summary>
        public IReadOnlyList<string> Keys { get; }
        public IReadOnlyList<ConfigurationException> Problems { get; }
        /// <summary>Messages formatted like problems: <c>path:line: KEY: text</c>.</summary>
        public IReadOnlyList<string> Warnings { get; }
        public bool HasProblems => Problems.Count > 0;
        /// <summary>True when the file itself could not be read (a line-0 problem); there are then no keys.</summary>
        public bool IsUnreadable { get; private set; }

        /// <summary>Keys are case-sensitive, as in bash.</summary>
        public bool TryGet(string key, out EnvEntry entry) => _entries.TryGetValue(key, out entry!);

        /// <summary>The value, or null when the key is not defined.</summary>
        public string? GetValue(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

        /// <summary>Reads and parses a file. Never throws for the file's content or for a missing or unreadable
        /// file: those are <see cref="Problems"/> (the latter with line 0 and the reason).</summary>
        public static EnvFile Load(string path)
        {
            if (string.IsNullOrEmpty(path))
                throw new ArgumentException("A path is required.", nameof(path));

            byte[] bytes;
            try
            {
                if (Directory.Exists(path))
                    return Unreadable(path, "is a folder, not a file");
                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException) { return Unreadable(path, "file not found", notFound: true); }
            catch (DirectoryNotFoundException) { return Unreadable(path, "file not found (its folder does not exist)", notFound: true); }
            catch (UnauthorizedAccessException e) { return Unreadable(path, "cannot be read: " + e.Message); }
            catch (IOException e) { return Unreadable(path, "cannot be read: " + e.Message); }
            catch (NotSupportedException e) { return Unreadable(path, "cannot be read: " + e.Message); }
            catch (ArgumentException e) { return Unreadable(path, "is not a valid path: " + e.Message); }

            return new Parser(path).Run(Decode(bytes));
        }

        /// <summary>Parses text already in memory; <paramref name="pathForMessages"/> only names it in messages.</summary>
        public static EnvFile Parse(string text, string pathForMessages)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            return new Parser(pathForMessages ?? string.Empty).Run(SplitLines(text));
        }

        private static EnvFile Unreadable(string path, string reason, bool notFound = false)
        {
            var problem = notFound ? ConfigurationException.FileNotFound(path, reason) : new ConfigurationException(path, 0, null, reason);
            var file = new EnvFile(path, new Dictionary<string, EnvEntry>(StringComparer.Ordinal), new List<string>(),
                new List<ConfigurationException> { problem }, new List<string>());
            file.IsUnreadable = true;
            return file;
        }

        // Decodes line by line so invalid UTF-8 is reported on its own line instead of failing the whole file;
        // a null entry marks a line that is not valid UTF-8.
        private static List<string?> Decode(byte[] bytes)
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
                return SplitLines(Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2));
            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
                return SplitLines(Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2));

            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            var lines = new List<string?>();
            // CR and LF are single bytes in UTF-8 and never part of a multi-byte sequence, so lines split safely as bytes.
            for (var i = start; i <= bytes.Length;)
            {
                var end = i;
                while (end < bytes.Length && bytes[end] != (byte)'\n' && bytes[end] != (byte)'\r') end++;
                try { lines.Add(strict.GetString(bytes, i, end - i)); }
                catch (DecoderFallbackException) { lines.Add(null); }
                i = end < bytes.Length && bytes[end] == (byte)'\r' && end + 1 < bytes.Length && bytes[end + 1] == (byte)'\n' ? end + 2 : end + 1;
            }
            return lines;
        }

        // LF, CRLF and a lone CR each end a line (as Python's universal newlines): a file saved with CR-only line
        // ends (classic Mac OS, some editors' "Mac" setting) reads line by line, not as one line.
        private static List<string?> SplitLines(string text)
        {
            var lines = new List<string?>();
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] != '\n' && text[i] != '\r') continue;
                lines.Add(text.Substring(start, i - start));
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
            lines.Add(text.Substring(start));
            return lines;
        }

        /// <summary>A valid key: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
        public static bool IsValidKey(string? key)
        {
            if (string.IsNullOrEmpty(key)) return false;
            var first = key![0];
            if (!(first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z' || first == '_')) return false;
            foreach (var c in key)
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9'))
                    return false;
            return true;
        }
    }
}
