using System.Diagnostics;
using System.Text;
using ModelRegistry.Engine.Config;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Config;

public class EnvFileTests
{
    [Fact]
    public void Reads_assignments_with_lines_and_keys_in_order()
    {
        var f = Parse("B=2\n\nA=1\n  C=3\n");
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { "B", "A", "C" }, f.Keys);
        Assert.True(f.TryGet("A", out var a));
        Assert.Equal("1", a.Value);
        Assert.Equal(3, a.Line);
        Assert.Equal(4, f.TryGet("C", out var c) ? c.Line : -1);
        Assert.False(f.TryGet("a", out _)); // keys are case-sensitive, as in bash
        Assert.Null(f.GetValue("MISSING"));
    }

    [Fact]
    public void Export_prefix_is_accepted_and_export_alone_changes_nothing()
    {
        var f = Parse("export A=1\nexport\tB=\"two\"\nexport A\nexport=3\n");
        Assert.Empty(f.Problems);
        Assert.Equal("1", Value(f, "A"));
        Assert.Equal("two", Value(f, "B"));
        Assert.Equal("3", Value(f, "export"));
        Assert.Equal(1, f.TryGet("A", out var a) ? a.Line : -1);
    }

    [Fact]
    public void Single_quotes_are_literal()
    {
        var f = Parse("X=1\nA='$X ${X} $(date) `date` \\n \"q\" # not a comment'\n");
        Assert.Empty(f.Problems);
        Assert.Equal("$X ${X} $(date) `date` \\n \"q\" # not a comment", Value(f, "A"));
    }

    [Fact]
    public void Double_quotes_expand_references_and_unescape_only_bash_escapes()
    {
        var f = Parse("X=v\nA=\"a $X ${X}-\\\" \\\\ \\$X \\` \\n #x\"\n");
        Assert.Empty(f.Problems);
        Assert.Equal("a v v-\" \\ $X ` \\n #x", Value(f, "A"));
    }

    [Fact]
    public void Unquoted_values_unescape_backslashes_and_concatenate_quoted_parts()
    {
        var f = Parse("A=a\\ b\\$c\nB=x'y z'\"w\"v\nC=\nD=a=b:c/d,e*?\n");
        Assert.Empty(f.Problems);
        Assert.Equal("a b$c", Value(f, "A"));
        Assert.Equal("xy zwv", Value(f, "B"));
        Assert.Equal("", Value(f, "C"));
        Assert.Equal("a=b:c/d,e*?", Value(f, "D")); // no globbing in assignments
    }

    [Fact]
    public void Comments_follow_bash_rules()
    {
        var f = Parse("# full line\n   # indented\nA=b # trailing\nB=b#c\nC=\"b # c\"\nD='b#c'   # x\nE=#x\nF= # only a comment\nG=\"q\"#x\n");
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { "A", "B", "C", "D", "E", "F", "G" }, f.Keys);
        Assert.Equal("b", Value(f, "A"));
        Assert.Equal("b#c", Value(f, "B"));
        Assert.Equal("b # c", Value(f, "C"));
        Assert.Equal("b#c", Value(f, "D"));
        Assert.Equal("#x", Value(f, "E"));
        Assert.Equal("", Value(f, "F"));
        Assert.Equal("q#x", Value(f, "G"));
    }

    [Fact]
    public void Crlf_line_ends_are_not_part_of_values()
    {
        var f = Parse("A=1\r\nB=\"two words\"\r\nC='x' # c\r\n# c\r\nD=${A}\r\n");
        Assert.Empty(f.Problems);
        Assert.Equal("1", Value(f, "A"));
        Assert.Equal("two words", Value(f, "B"));
        Assert.Equal("x", Value(f, "C"));
        Assert.Equal("1", Value(f, "D"));
        Assert.Equal(5, f.TryGet("D", out var d) ? d.Line : -1);
    }

    [Fact]
    public void Cr_only_line_ends_end_lines_in_text_and_in_files()
    {
        const string text = "A=1\rB=\"two words\"\r# c\rC='x' # c\r\rD=${A}\r";
        var f = Parse(text);
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { "A", "B", "C", "D" }, f.Keys);
        Assert.Equal("two words", Value(f, "B"));
        Assert.Equal("1", Value(f, "D"));
        Assert.Equal(6, f.TryGet("D", out var d) ? d.Line : -1);

        var dir = TempDir();
        foreach (var encoding in new Encoding[] { new UTF8Encoding(false), new UTF8Encoding(true), Encoding.Unicode })
        {
            var path = System.IO.Path.Combine(dir, "cr.env");
            File.WriteAllText(path, text, encoding);
            var loaded = EnvFile.Load(path);
            Assert.Empty(loaded.Problems);
            Assert.Equal(new[] { "A", "B", "C", "D" }, loaded.Keys);
            Assert.Equal(6, loaded.TryGet("D", out var ld) ? ld.Line : -1);
        }
    }

    [Fact]
    public void Mixed_line_ends_count_one_line_each()
    {
        var f = Parse("A=1\r\nB=2\rC=3\nD=4\r\n\r\nE=5");
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { 1, 2, 3, 4, 6 }, f.Keys.Select(k => f.TryGet(k, out var e) ? e.Line : -1));
    }

    [Fact]
    public void Bom_is_skipped_in_text_and_in_files()
    {
        var f = Parse("\uFEFFTEAMS=rc\n");
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { "TEAMS" }, f.Keys);

        var dir = TempDir();
        var path = System.IO.Path.Combine(dir, ".env.shared");
        File.WriteAllText(path, "TEAMS=\"rc algo\"\r\nTEAM_RC_FULLNAME=リスク管理\r\n", new UTF8Encoding(true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        var loaded = EnvFile.Load(path);
        Assert.Empty(loaded.Problems);
        Assert.Equal("rc algo", Value(loaded, "TEAMS"));
        Assert.Equal("リスク管理", Value(loaded, "TEAM_RC_FULLNAME"));
        Assert.Equal(path, loaded.Path);
    }

    [Fact]
    public void Utf8_without_bom_and_utf16_with_bom_are_read()
    {
        var dir = TempDir();
        var utf8 = System.IO.Path.Combine(dir, "a.env");
        File.WriteAllText(utf8, "A=é\n", new UTF8Encoding(false));
        Assert.Equal("é", Value(EnvFile.Load(utf8), "A"));

        // What Windows PowerShell's Out-File writes by default.
        var utf16 = System.IO.Path.Combine(dir, "b.env");
        File.WriteAllText(utf16, "A=é\r\nB=\"x\"\r\n", Encoding.Unicode);
        var f = EnvFile.Load(utf16);
        Assert.Empty(f.Problems);
        Assert.Equal("é", Value(f, "A"));
        Assert.Equal("x", Value(f, "B"));
    }

    [Fact]
    public void Invalid_utf8_is_a_problem_on_its_line_only()
    {
        var path = System.IO.Path.Combine(TempDir(), ".env.shared");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("A=1\nB=").Concat(new byte[] { 0xFF, 0xFE, 0x41 }).Concat(Encoding.ASCII.GetBytes("\nC=3\n")).ToArray());
        var f = EnvFile.Load(path);
        AssertProblem(f.Problems, 2, null, "UTF-8", path);
        Assert.Single(f.Problems);
        Assert.Equal("1", Value(f, "A"));
        Assert.Equal("3", Value(f, "C"));
    }

    [Fact]
    public void References_expand_to_keys_defined_earlier()
    {
        var f = Parse("COMPANY=acme\nA=$COMPANY-x\nB=${COMPANY}_x\nC=$COMPANY_x\nD=\"${COMPANY}-sagemaker\"\nE=pre${A}post\nF=$\nG=\"a $ b\"\nH=cost$/x\n");
        Assert.Equal("acme-x", Value(f, "A"));
        Assert.Equal("acme_x", Value(f, "B"));
        Assert.Equal("", Value(f, "C")); // $COMPANY_x names COMPANY_x, as in bash
        Assert.Equal("acme-sagemaker", Value(f, "D"));
        Assert.Equal("preacme-xpost", Value(f, "E"));
        Assert.Equal("$", Value(f, "F"));
        Assert.Equal("a $ b", Value(f, "G"));
        Assert.Equal("cost$/x", Value(f, "H"));
        Assert.Empty(f.Problems);
        var warning = Assert.Single(f.Warnings);
        Assert.StartsWith($"{TestPath}:4: C: ", warning);
        Assert.Contains("$COMPANY_x", warning);
    }

    [Fact]
    public void Undefined_or_later_references_expand_to_empty_with_a_warning_naming_file_line_and_key()
    {
        var f = Parse("A=\"x${LATER}y\"\nLATER=1\nB=$NOWHERE\n");
        Assert.Empty(f.Problems);
        Assert.Equal("xy", Value(f, "A"));
        Assert.Equal("", Value(f, "B"));
        Assert.Equal(2, f.Warnings.Count);
        Assert.StartsWith($"{TestPath}:1: A: ", f.Warnings[0]);
        Assert.Contains("$LATER", f.Warnings[0]);
        Assert.StartsWith($"{TestPath}:3: B: ", f.Warnings[1]);
        Assert.Contains("$NOWHERE", f.Warnings[1]);
    }

    [Fact]
    public void The_process_environment_is_not_consulted()
    {
        Environment.SetEnvironmentVariable("MR_CONFIG_TEST_ENV", "from-env");
        try
        {
            var f = Parse("A=${MR_CONFIG_TEST_ENV}\n");
            Assert.Equal("", Value(f, "A"));
            Assert.Single(f.Warnings);
        }
        finally { Environment.SetEnvironmentVariable("MR_CONFIG_TEST_ENV", null); }
    }

    [Fact]
    public void Default_values_follow_bash()
    {
        var f = Parse("EMPTY=\nSET=s\nA=${NOPE:-def}\nB=${EMPTY:-def}\nC=${EMPTY-def}\nD=${NOPE-def}\nE=${SET:-def}\n" +
                      "F=\"${NOPE:-a b $SET}\"\nG=${NOPE:-a b}\nH=${SET:-$UNUSED}\nI=${NOPE:-$ALSO_NOPE}\nJ=${NOPE:-'x}y'}\n");
        Assert.Empty(f.Problems);
        Assert.Equal("def", Value(f, "A"));
        Assert.Equal("def", Value(f, "B"));
        Assert.Equal("", Value(f, "C"));
        Assert.Equal("def", Value(f, "D"));
        Assert.Equal("s", Value(f, "E"));
        Assert.Equal("a b s", Value(f, "F"));
        Assert.Equal("a b", Value(f, "G"));
        Assert.Equal("s", Value(f, "H"));
        Assert.Equal("", Value(f, "I"));
        Assert.Equal("x}y", Value(f, "J"));
        // Only the default that was used warns: $UNUSED on line 10 does not, $ALSO_NOPE on line 11 does.
        var warning = Assert.Single(f.Warnings);
        Assert.StartsWith($"{TestPath}:11: I: ", warning);
    }

    [Fact]
    public void A_later_definition_overrides_and_keeps_its_line()
    {
        var f = Parse("A=1\nB=$A\nA=2\nC=$A\nA+=3\n");
        Assert.Empty(f.Problems);
        Assert.Equal(new[] { "A", "B", "C" }, f.Keys);
        Assert.True(f.TryGet("A", out var a));
        Assert.Equal("23", a.Value);
        Assert.Equal(5, a.Line);
        Assert.Equal("1", Value(f, "B"));
        Assert.Equal("2", Value(f, "C"));
    }

    [Fact]
    public void Tilde_is_kept_with_a_warning()
    {
        var f = Parse("OUTPUT_DIR=~/output\n");
        Assert.Equal("~/output", Value(f, "OUTPUT_DIR"));
        Assert.StartsWith($"{TestPath}:1: OUTPUT_DIR: ", Assert.Single(f.Warnings));
    }

    [Theory]
    [InlineData("A=$(rm -rf /)", "A", "command substitution")]
    [InlineData("A=\"$(whoami)\"", "A", "command substitution")]
    [InlineData("A=`rm -rf /`", "A", "backticks")]
    [InlineData("A=\"x`id`\"", "A", "backticks")]
    [InlineData("A=$((1+2))", "A", "arithmetic")]
    [InlineData("A=${B:-$(id)}", "A", "command substitution")]
    [InlineData("A='unterminated", "A", "unterminated single quote")]
    [InlineData("A=\"unterminated", "A", "unterminated double quote")]
    [InlineData("A=\"ends in backslash\\", "A", "unterminated double quote")]
    [InlineData("A=x\\", "A", "continuation")]
    [InlineData("A=${B", "A", "unterminated")]
    [InlineData("A=${B:-x", "A", "unterminated")]
    [InlineData("A=${B/x/y}", "A", "unsupported expansion")]
    [InlineData("A=${B:=x}", "A", "unsupported expansion")]
    [InlineData("A=${#B}", "A", "unsupported expansion")]
    [InlineData("A=${B^^}", "A", "unsupported expansion")]
    [InlineData("A=$1", "A", "special parameter")]
    [InlineData("A=$$", "A", "special parameter")]
    [InlineData("A=\"$?\"", "A", "special parameter")]
    [InlineData("A=$'x\\ny'", "A", "ANSI-C")]
    [InlineData("A=b c", "A", "unquoted whitespace")]
    [InlineData("A=b;rm -rf /", "A", "';'")]
    [InlineData("A=b&", "A", "'&'")]
    [InlineData("A=b|cat", "A", "'|'")]
    [InlineData("A=b>out", "A", "'>'")]
    [InlineData("A=(a b)", "A", "'('")]
    [InlineData("A = 1", "A", "spaces around '='")]
    [InlineData("A =1", "A", "spaces around '='")]
    [InlineData("A[0]=1", "A", "arrays")]
    [InlineData("MY-KEY=1", "MY-KEY", "not a valid key name")]
    [InlineData("1A=1", "1A", "not a valid key name")]
    [InlineData("source ./other.env", null, "not a KEY=VALUE assignment")]
    [InlineData(". ./other.env", null, "not a KEY=VALUE assignment")]
    [InlineData("if [ -f x ]; then", null, "not a KEY=VALUE assignment")]
    [InlineData("fi", null, "not a KEY=VALUE assignment")]
    [InlineData("[ \"$A\" = b ] && B=1", null, "not a KEY=VALUE assignment")]
    [InlineData("rm -rf /", null, "not a KEY=VALUE assignment")]
    [InlineData("export", null, "not a KEY=VALUE assignment")]
    [InlineData("readonly A=1", null, "not a KEY=VALUE assignment")]
    public void Anything_needing_a_shell_is_a_problem_naming_file_line_and_key(string line, string? key, string containing)
    {
        var f = Parse("OK=1\n" + line + "\nAFTER=2\n");
        var p = AssertProblem(f.Problems, 2, key, containing);
        Assert.Single(f.Problems);
        Assert.Equal(TestPath, p.Path);
        // The bad line defines nothing; the lines around it still count.
        Assert.Equal(new[] { "OK", "AFTER" }, f.Keys);
    }

    [Fact]
    public void Every_problem_is_collected_not_just_the_first()
    {
        var f = Parse("A=$(id)\nB=ok\nsource x\nC='open\nD=`id`\nE=${B}\n");
        Assert.Equal(4, f.Problems.Count);
        AssertProblem(f.Problems, 1, "A", "command substitution");
        AssertProblem(f.Problems, 3, null, "not a KEY=VALUE");
        AssertProblem(f.Problems, 4, "C", "unterminated");
        AssertProblem(f.Problems, 5, "D", "backticks");
        Assert.Equal("ok", Value(f, "E"));
    }

    [Fact]
    public void A_reference_to_a_rejected_key_is_not_warned_about_again()
    {
        var f = Parse("A=$(id)\nB=${A}x\n");
        Assert.Single(f.Problems);
        Assert.Empty(f.Warnings);
        Assert.Equal("x", Value(f, "B"));
    }

    [Fact]
    public void Command_substitution_in_a_file_is_rejected_and_nothing_runs()
    {
        var dir = TempDir();
        var marker1 = System.IO.Path.Combine(dir, "ran-dollar");
        var marker2 = System.IO.Path.Combine(dir, "ran-backtick");
        var marker3 = System.IO.Path.Combine(dir, "ran-quoted");
        var path = System.IO.Path.Combine(dir, ".env.shared");
        File.WriteAllText(path,
            $"TEAMS=\"rc\"\nRC_PROJECTS=\"$(touch {marker1})\"\nCOMPANY=`touch {marker2}`\nTAG_PREFIX=\"x$(touch {marker3})\"\n");

        var catalog = ProjectCatalog.Load(path);

        Assert.False(File.Exists(marker1));
        Assert.False(File.Exists(marker2));
        Assert.False(File.Exists(marker3));
        AssertProblem(catalog.Problems, 2, "RC_PROJECTS", "command substitution", path);
        AssertProblem(catalog.Problems, 3, "COMPANY", "backticks", path);
        AssertProblem(catalog.Problems, 4, "TAG_PREFIX", "command substitution", path);
        Assert.Empty(catalog.Projects);

        // Control: the same file sourced by bash would have run the commands.
        if (File.Exists("/bin/bash"))
        {
            using var bash = Process.Start(new ProcessStartInfo("/bin/bash", new[] { "-c", "source \"$1\"", "bash", path })
                { RedirectStandardError = true })!;
            bash.WaitForExit();
            Assert.True(File.Exists(marker1) && File.Exists(marker2) && File.Exists(marker3));
        }
    }

    [Fact]
    public void A_missing_file_is_a_line_zero_problem_naming_the_path()
    {
        var path = System.IO.Path.Combine(TempDir(), "nope", ".env.shared");
        var f = EnvFile.Load(path);
        Assert.True(f.IsUnreadable);
        var p = AssertProblem(f.Problems, 0, null, "not found", path);
        Assert.Contains(path, p.Message);
        Assert.Empty(f.Keys);

        var missing = System.IO.Path.Combine(TempDir(), ".env.shared");
        AssertProblem(EnvFile.Load(missing).Problems, 0, null, "file not found", missing);
    }

    [Fact]
    public void A_folder_is_a_line_zero_problem()
    {
        var dir = TempDir();
        AssertProblem(EnvFile.Load(dir).Problems, 0, null, "folder", dir);
    }

    [Fact]
    public void Key_names_are_validated()
    {
        Assert.True(EnvFile.IsValidKey("_A1"));
        Assert.True(EnvFile.IsValidKey("TEAM_RC_FULLNAME"));
        Assert.False(EnvFile.IsValidKey("1A"));
        Assert.False(EnvFile.IsValidKey("A-B"));
        Assert.False(EnvFile.IsValidKey("É"));
        Assert.False(EnvFile.IsValidKey(""));
    }
}
