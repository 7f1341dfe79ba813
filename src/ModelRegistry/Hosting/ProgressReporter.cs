using System.Diagnostics;
using System.Management.Automation;

namespace ModelRegistry.Hosting
{
    /// <summary>Write-Progress with counts and rate, at most a few updates a second so it never slows the work.</summary>
    internal sealed class ProgressReporter
    {
        private static int _nextId = 1;
        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly int _total; // 0: unknown while the input still arrives
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastUpdateMs = -1000;
        private int _done;

        public ProgressReporter(Cmdlet cmdlet, string activity, int total)
        {
            _cmdlet = cmdlet;
            _total = total;
            _record = new ProgressRecord(System.Threading.Interlocked.Increment(ref _nextId), activity, "Starting");
        }

        public void Step(string? current)
        {
            _done++;
            var now = _clock.ElapsedMilliseconds;
            if (_total == 1 || (now - _lastUpdateMs < 250 && _done != _total)) return;
            _lastUpdateMs = now;
            var rate = now > 0 ? _done * 1000.0 / now : 0;
            _record.StatusDescription = _total > 0 ? $"{_done} of {_total} ({rate:0.#}/s)" : $"{_done} done ({rate:0.#}/s)";
            _record.CurrentOperation = current;
            _record.PercentComplete = _total > 0 ? (int)(_done * 100L / _total) : -1;
            _cmdlet.WriteProgress(_record);
        }

        public void Complete()
        {
            if (_total == 1 || _lastUpdateMs < 0) return; // nothing was shown
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
        }
    }
}
