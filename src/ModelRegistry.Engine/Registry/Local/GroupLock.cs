using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>
    /// A cross-process reader/writer lock on one group, held as an open handle on <c>locks/&lt;key&gt;.lock</c>.
    /// .NET takes flock(LOCK_SH) for FileShare other than None and flock(LOCK_EX) for None on Unix, and share
    /// modes on Windows; either way the OS drops the lock when the holder dies, so a lock file left behind by a
    /// killed process is just an empty file, never a stale lock. Separate opens conflict even within one process,
    /// so the same lock also orders threads.
    /// Shared: registering versions (numbers are claimed by link, so registrars need not exclude each other).
    /// Exclusive: everything that rewrites or removes an existing record, and group create/delete.
    /// </summary>
    internal sealed class GroupLock : IDisposable
    {
        private FileStream? _handle;

        private GroupLock(FileStream handle) { _handle = handle; }

        public static GroupLock Acquire(string lockPath, bool exclusive, TimeSpan timeout, string groupName, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var delayMs = 1;
            var random = new Random(Guid.NewGuid().GetHashCode());
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    // FileAccess.Read: .NET only takes a shared flock for read-only opens on every file system.
                    var handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read,
                        exclusive ? FileShare.None : FileShare.ReadWrite, bufferSize: 1);
                    return new GroupLock(handle);
                }
                catch (DirectoryNotFoundException)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
                    continue;
                }
                catch (IOException) when (!(clock.Elapsed >= timeout))
                {
                    // Held by someone else; back off with jitter so two waiters do not retry in lockstep.
                }
                catch (IOException e)
                {
                    throw new RegistryException(RegistryErrorKind.Unavailable,
                        $"Timed out after {timeout.TotalSeconds:0.#} s waiting for the lock on group '{groupName}' ({lockPath}); " +
                        "another process is holding it. Retry, or find the process that is stuck.", groupName, inner: e);
                }
                Thread.Sleep(random.Next(delayMs, delayMs * 2 + 1));
                delayMs = Math.Min(delayMs * 2, 16);
            }
        }

        public void Dispose()
        {
            _handle?.Dispose();
            _handle = null;
        }
    }
}
