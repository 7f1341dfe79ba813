using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ModelRegistry.Tests.Support;

/// <summary>A PowerShell host whose console is a list: what a cmdlet writes to the host UI directly (as it
/// must once the pipeline is stopped) lands in <see cref="Lines"/>. Questions (ShouldContinue, -Confirm) land in
/// <see cref="Prompts"/> and get <see cref="Answer"/> ("Yes", "No", …); with no answer set, the host cannot ask.</summary>
public sealed class CapturingHost : PSHost
{
    private readonly CapturingUI _ui = new();
    public ConcurrentQueue<string> Lines => _ui.Lines;
    public ConcurrentQueue<string> Prompts => _ui.Prompts;
    public string? Answer { get => _ui.Answer; set => _ui.Answer = value; }
    public override string Name => "CapturingHost";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class CapturingUI : PSHostUserInterface
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ConcurrentQueue<string> Prompts { get; } = new();
        public string? Answer { get; set; }
        public override PSHostRawUserInterface? RawUI => null;
        public override string ReadLine() => "";
        public override SecureString ReadLineAsSecureString() => new();
        public override void Write(string value) => Lines.Enqueue(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);
        public override void WriteLine(string value) => Lines.Enqueue(value);
        public override void WriteErrorLine(string value) => Lines.Enqueue("ERROR: " + value);
        public override void WriteDebugLine(string message) => Lines.Enqueue("DEBUG: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Lines.Enqueue("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Lines.Enqueue("WARNING: " + message);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Enqueue($"{caption}: {message}");
            if (Answer is null) throw new NotSupportedException("this test host cannot ask");
            var index = choices.ToList().FindIndex(c => c.Label.Replace("&", "") == Answer);
            return index >= 0 ? index : throw new InvalidOperationException($"no choice '{Answer}' among {string.Join(", ", choices.Select(c => c.Label))}");
        }
    }
}
