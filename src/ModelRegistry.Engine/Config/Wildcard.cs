using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Config
{
    /// <summary>PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, backtick escapes),
    /// case-insensitive; the engine has no PowerShell reference, so no WildcardPattern.</summary>
    internal static class Wildcard
    {
        public static Regex ToRegex(string pattern)
        {
            var sb = new System.Text.StringBuilder(@"\A");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length)
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                else if (c == '*')
                    sb.Append(".*");
                else if (c == '?')
                    sb.Append('.');
                else if (c == '[' && pattern.IndexOf(']', i + 1) > i + 1)
                {
                    var close = pattern.IndexOf(']', i + 1);
                    sb.Append('[');
                    foreach (var k in pattern.Substring(i + 1, close - i - 1))
                        sb.Append(k == '\\' || k == '^' || k == '[' ? "\\" + k : k.ToString());
                    sb.Append(']');
                    i = close;
                }
                else
                    sb.Append(Regex.Escape(c.ToString()));
            }
            sb.Append(@"\z");
            return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }
}
