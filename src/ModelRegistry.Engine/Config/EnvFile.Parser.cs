using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelRegistry.Engine.Config
{
    /// <summary>The line parser: one bash assignment word at a time, as data; anything that needs a shell is a problem.</summary>
    public sealed partial class EnvFile
    {
        private sealed class Parser
        {
            private readonly string _path;
            private readonly Dictionary<string, EnvEntry> _entries = new Dictionary<string, EnvEntry>(StringComparer.Ordinal);
            private readonly List<string> _keys = new List<string>();
            private readonly List<ConfigurationException> _problems = new List<ConfigurationException>();
            private readonly List<string> _warnings = new List<string>();
            // Keys whose definition was rejected: already reported, so references to them do not warn again.
            private readonly HashSet<string> _failed = new HashSet<string>(StringComparer.Ordinal);

            private string _line = string.Empty;
            private int _pos;
            private int _lineNumber;
            private string? _key;
            private List<string> _lineWarnings = new List<string>();

            public Parser(string path) => _path = path;

            public EnvFile Run(List<string?> lines)
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    _lineNumber = i + 1;
                    var line = lines[i];
                    if (line == null)
                    {
                        _problems.Add(new ConfigurationException(_path, _lineNumber, null,
                            "line is not valid UTF-8; save the file as UTF-8"));
                        continue;
                    }
                    _line = line;
                    _pos = 0;
                    _key = null;
                    _lineWarnings = new List<string>();
                    try
                    {
                        ParseLine();
                        _warnings.AddRange(_lineWarnings);
                    }
                    catch (LineError e)
                    {
                        _problems.Add(new ConfigurationException(_path, _lineNumber, e.NoKey ? null : e.Key ?? _key, e.Message));
                        if (_key != null) _failed.Add(_key);
                    }
                }
                return new EnvFile(_path, _entries, _keys, _problems, _warnings);
            }

            private void ParseLine()
            {
                SkipBlanks();
                if (AtEnd || Current == '#') return;

                var isExport = false;
                if (StartsWithWord("export"))
                {
                    _pos += "export".Length;
                    SkipBlanks();
                    isExport = true;
                    if (AtEnd) throw NotAnAssignment();
                }

                    var nameStart = _pos;
                var name = ReadName();
                if (name == null || !AtEnd && !IsBlank(Current) && Current != '=' && Current != '+' && Current != '[')
                {
                    // `MY-KEY=1` or `1A=x`: meant as an assignment, but bash would run it as a command.
                    var eq = _line.IndexOf('=', nameStart);
                    var word = eq > nameStart ? _line.Substring(nameStart, eq - nameStart) : null;
                    if (word != null && word.IndexOfAny(new[] { ' ', '\t', '"', '\'', '$', '`' }) < 0)
                        throw new LineError($"'{word}' is not a valid key name (letters, digits and _, not starting with a digit)", word);
                    throw NotAnAssignment();
                }

                if (AtEnd || IsBlank(Current))
                {
                    SkipBlanks();
                    if (isExport && (AtEnd || Current == '#'))
                        return; // `export KEY`: marks a variable for export; no value to read.
                    if (!AtEnd && Current == '=')
                        throw new LineError("spaces around '=' are not allowed (bash would run the key as a command)", name);
                    if (!AtEnd && Current == '+' && _pos + 1 < _line.Length && _line[_pos + 1] == '=')
                        throw new LineError("spaces around '+=' are not allowed (bash would run the key as a command)", name);
                    throw NotAnAssignment();
                }

                var append = false;
                if (Current == '[')
                    throw new LineError("arrays are not supported", name);
                if (Current == '+' && _pos + 1 < _line.Length && _line[_pos + 1] == '=')
                {
                    append = true;
                    _pos++;
                }
                if (Current != '=')
                    throw NotAnAssignment();
                _pos++;
                _key = name;

                if (!AtEnd && Current == '~')
                    Warn(name, "'~' is not expanded to the home folder; the value is used as written");

                var value = ReadWord();
                SkipBlanks();
                if (!AtEnd && Current != '#')
                    throw new LineError($"unquoted whitespace in the value, followed by '{Rest()}' (bash would not read that as part of the value); quote the value, one assignment per line");

                if (append && _entries.TryGetValue(name, out var previous))
                    value = previous.Value + value;
                if (!_entries.ContainsKey(name)) _keys.Add(name);
                _entries[name] = new EnvEntry(name, value, _lineNumber);
                _failed.Remove(name);
            }

            // One bash word, up to unquoted whitespace or the end of the line.
            private string ReadWord()
            {
                var sb = new StringBuilder();
                while (!AtEnd && !IsBlank(Current))
                {
                    var c = Current;
                    switch (c)
                    {
                        case '\'':
                            sb.Append(ReadSingleQuoted());
                            break;
                        case '"':
                            sb.Append(ReadDoubleQuoted());
                            break;
                        case '\\':
                            if (_pos + 1 >= _line.Length)
                                throw new LineError("a '\\' at the end of a line (line continuation) is not supported");
                            sb.Append(_line[_pos + 1]);
                            _pos += 2;
                            break;
                        case '$':
                            sb.Append(ReadDollar(inDoubleQuotes: false));
                            break;
                        case '`':
                            throw CommandSubstitution("backticks `…`");
                        case ';':
                        case '&':
                        case '|':
                        case '<':
                        case '>':
                        case '(':
                        case ')':
                            throw new LineError($"unquoted '{c}' in the value would be interpreted by the shell; quote the value");
                        default:
                            sb.Append(c);
                            _pos++;
                            break;
                    }
                }
                return sb.ToString();
            }

            private string ReadSingleQuoted()
            {
                var close = _line.IndexOf('\'', _pos + 1);
                if (close < 0)
                    throw new LineError("unterminated single quote (values cannot span lines)");
                var s = _line.Substring(_pos + 1, close - _pos - 1);
                _pos = close + 1;
                return s;
            }

            private string ReadDoubleQuoted()
            {
                _pos++; // opening quote
                var sb = new StringBuilder();
                while (true)
                {
                    if (AtEnd)
                        throw new LineError("unterminated double quote (values cannot span lines)");
                    var c = Current;
                    if (c == '"')
                    {
                        _pos++;
                        return sb.ToString();
                    }
                    if (c == '\\')
                    {
                        if (_pos + 1 >= _line.Length)
                            throw new LineError("unterminated double quote (values cannot span lines)");
                        var next = _line[_pos + 1];
                        // In double quotes bash removes the backslash only before these; elsewhere it stays.
                        if (next == '"' || next == '\\' || next == '$' || next == '`')
                            sb.Append(next);
                        else
                            sb.Append('\\').Append(next);
                        _pos += 2;
                    }
                    else if (c == '$')
                        sb.Append(ReadDollar(inDoubleQuotes: true));
                    else if (c == '`')
                        throw CommandSubstitution("backticks `…`");
                    else
                    {
                        sb.Append(c);
                        _pos++;
                    }
                }
            }

            // At a '$': a reference, a literal '$', or something that would need a shell.
            private string ReadDollar(bool inDoubleQuotes)
            {
                var next = _pos + 1 < _line.Length ? _line[_pos + 1] : '\0';
                if (next == '(')
                    throw _pos + 2 < _line.Length && _line[_pos + 2] == '('
                        ? CommandSubstitution("arithmetic expansion $((…))")
                        : CommandSubstitution("command substitution $(…)");
                if (next == '{')
                    return ReadBraced(inDoubleQuotes);
                if (IsNameStart(next))
                {
                    _pos++;
                    var name = ReadName()!;
                    return Lookup(name);
                }
                if (char.IsDigit(next) || "@*#?-$!".IndexOf(next) >= 0)
                    throw new LineError($"special parameter '${next}' is not available in a configuration file");
                if (next == '\'' && !inDoubleQuotes)
                    throw new LineError("ANSI-C quoting $'…' is not supported; use single or double quotes");
                if (next == '"' && !inDoubleQuotes)
                    throw new LineError("locale quoting $\"…\" is not supported; use double quotes");
                _pos++;
                return "$"; // bash keeps a '$' that starts nothing, e.g. "a$" or "$/".
            }

            private string ReadBraced(bool inDoubleQuotes)
            {
                var start = _pos;
                _pos += 2; // "${"
                var name = ReadName();
                if (name != null && AtEnd)
                    throw new LineError($"unterminated '${{' in '{_line.Substring(start)}'");
                if (name == null)
                    throw UnsupportedExpansion(start);
                if (Current == '}')
                {
                    _pos++;
                    return Lookup(name);
                }

                bool colon = false;
                if (Current == ':' && _pos + 1 < _line.Length && _line[_pos + 1] == '-')
                {
                    colon = true;
                    _pos += 2;
                }
                else if (Current == '-')
                    _pos++;
                else
                    throw UnsupportedExpansion(start);

                // The default's own warnings count only if it is used, as bash expands it only then.
                var outer = _lineWarnings;
                _lineWarnings = new List<string>();
                string fallback;
                try { fallback = ReadUntilBrace(inDoubleQuotes, start); }
                finally
                {
                    var inner = _lineWarnings;
                    _lineWarnings = outer;
                    if (UseDefault(name, colon)) _lineWarnings.AddRange(inner);
                }
                return UseDefault(name, colon) ? fallback : _entries[name].Value;
            }

            private bool UseDefault(string name, bool emptyToo) =>
                !_entries.TryGetValue(name, out var e) || emptyToo && e.Value.Length == 0;

            // The word after ":-" up to the matching '}'; quotes and references nest as in bash.
            private string ReadUntilBrace(bool inDoubleQuotes, int start)
            {
                var sb = new StringBuilder();
                while (true)
                {
                    if (AtEnd)
                        throw new LineError($"unterminated '${{' in '{_line.Substring(start)}'");
                    var c = Current;
                    if (c == '}')
                    {
                        _pos++;
                        return sb.ToString();
                    }
                    if (c == '\'' && !inDoubleQuotes)
                        sb.Append(ReadSingleQuoted());
                    else if (c == '"')
                        sb.Append(ReadDoubleQuoted());
                    else if (c == '\\')
                    {
                        if (_pos + 1 >= _line.Length)
                            throw new LineError($"unterminated '${{' in '{_line.Substring(start)}'");
                        var next = _line[_pos + 1];
                        if (inDoubleQuotes && !(next == '"' || next == '\\' || next == '$' || next == '`' || next == '}'))
                            sb.Append('\\');
                        sb.Append(next);
                        _pos += 2;
                    }
                    else if (c == '$')
                        sb.Append(ReadDollar(inDoubleQuotes));
                    else if (c == '`')
                        throw CommandSubstitution("backticks `…`");
                    else
                    {
                        sb.Append(c);
                        _pos++;
                    }
                }
            }

            private string Lookup(string name)
            {
                if (_entries.TryGetValue(name, out var e))
                    return e.Value;
                if (!_failed.Contains(name))
                    Warn(_key, $"${name} is not defined earlier in this file; it expands to empty " +
                               "(only keys defined above are used, not the environment)");
                return string.Empty;
            }

            private void Warn(string? key, string message) =>
                _lineWarnings.Add(key == null ? $"{_path}:{_lineNumber}: {message}" : $"{_path}:{_lineNumber}: {key}: {message}");

            private LineError NotAnAssignment()
            {
                var text = _line.Trim();
                if (text.Length > 60) text = text.Substring(0, 57) + "...";
                return new LineError($"'{text}' is not a KEY=VALUE assignment; the file is read as data and commands are not run", null, noKey: true);
            }

            private LineError CommandSubstitution(string what) =>
                new LineError($"{what} would run a command; the file is read as data, so it is rejected — write the value itself");

            private LineError UnsupportedExpansion(int start)
            {
                var close = _line.IndexOf('}', start);
                var text = close < 0 ? _line.Substring(start) : _line.Substring(start, close - start + 1);
                return new LineError($"unsupported expansion '{text}'; only $NAME, ${{NAME}} and ${{NAME:-default}} are read");
            }

            private string? ReadName()
            {
                if (AtEnd || !IsNameStart(Current)) return null;
                var start = _pos;
                while (!AtEnd && IsNameChar(Current)) _pos++;
                return _line.Substring(start, _pos - start);
            }

            private bool StartsWithWord(string word) =>
                string.CompareOrdinal(_line, _pos, word, 0, word.Length) == 0 &&
                _pos + word.Length < _line.Length && IsBlank(_line[_pos + word.Length]);

            private string Rest() => _line.Substring(_pos).TrimEnd();
            private bool AtEnd => _pos >= _line.Length;
            private char Current => _line[_pos];
            private void SkipBlanks() { while (!AtEnd && IsBlank(Current)) _pos++; }
            private static bool IsBlank(char c) => c == ' ' || c == '\t';
            private static bool IsNameStart(char c) => c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
            private static bool IsNameChar(char c) => IsNameStart(c) || c >= '0' && c <= '9';
        }

        private sealed class LineError : Exception
        {
            public LineError(string message, string? key = null, bool noKey = false) : base(message)
            {
                Key = key;
                NoKey = noKey;
            }

            public string? Key { get; }
            public bool NoKey { get; }
        }
    }
}
