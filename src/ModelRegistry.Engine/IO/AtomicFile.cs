using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ModelRegistry.Engine.IO
{
    /// <summary>
    /// Whole-file writes that readers never see half done, and exclusive creation that two writers (threads or
    /// processes) cannot both win. Every write goes to a temp file in the target's folder first.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Temp files start with a dot and end in .tmp, so no reader's name pattern ever matches them.</summary>
        public const string TempSuffix = ".tmp";

        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static string NewTempPath(string folder) =>
            Path.Combine(folder, "." + Guid.NewGuid().ToString("N") + TempSuffix);

        /// <summary>Writes <paramref name="content"/> to a new temp file in <paramref name="folder"/>.</summary>
        public static string WriteTemp(string folder, byte[] content)
        {
            var temp = NewTempPath(folder);
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                fs.Write(content, 0, content.Length);
            return temp;
        }

        /// <summary>Atomically replaces (or creates) <paramref name="path"/> with <paramref name="content"/>.</summary>
        public static void Replace(string path, byte[] content)
        {
            var temp = WriteTemp(Path.GetDirectoryName(path)!, content);
            try
            {
                ReplaceWith(temp, path);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// Gives <paramref name="tempPath"/>'s content the name <paramref name="target"/> only if nothing has that name
        /// yet; false when the name is taken. The temp file stays, so a caller can try the next name with it.
        /// On Unix this is link(2), which fails with EEXIST atomically. Not File.Move: .NET on Linux implements the
        /// no-overwrite move as lstat + rename(2), and racing movers can all "win" (verified: LocalAtomicFileTests).
        /// </summary>
        public static bool TryLinkNew(string tempPath, string target)
        {
            if (IsWindows)
            {
                // MoveFileEx without REPLACE_EXISTING is atomic no-clobber on NTFS; copy first so the temp survives a loss.
                var copy = NewTempPath(Path.GetDirectoryName(target)!);
                File.Copy(tempPath, copy);
                try
                {
                    File.Move(copy, target);
                    return true;
                }
                catch (IOException) when (File.Exists(target))
                {
                    TryDelete(copy);
                    return false;
                }
            }

            if (Native.link(tempPath, target) == 0)
                return true;
            var errno = Marshal.GetLastWin32Error();
            if (errno == Native.EEXIST)
                return false;
            if (errno == Native.ENOENT)
                throw new DirectoryNotFoundException($"Could not create '{target}': its folder does not exist.");
            throw new IOException(
                $"Could not create '{target}' (link failed, errno {errno}). The Local registry needs a file system with hard links.");
        }

        /// <summary>Renames <paramref name="source"/> over <paramref name="target"/> in one step (rename(2) / MoveFileEx).</summary>
        public static void ReplaceWith(string source, string target)
        {
            if (!IsWindows)
            {
                if (Native.rename(source, target) != 0)
                    throw new IOException($"Could not replace '{target}' (rename failed, errno {Marshal.GetLastWin32Error()}).");
                return;
            }
#if NET
            File.Move(source, target, overwrite: true);
#else
            if (File.Exists(target))
                File.Replace(source, target, null);
            else
                File.Move(source, target);
#endif
        }

        /// <summary>The file's bytes, or null when it does not exist. Opened so that a concurrent replace is not blocked.</summary>
        public static byte[]? ReadOrNull(string path)
        {
            try
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new byte[fs.Length];
                int read = 0, n;
                while (read < buffer.Length && (n = fs.Read(buffer, read, buffer.Length - read)) > 0)
                    read += n;
                if (read == buffer.Length)
                    return buffer;
                Array.Resize(ref buffer, read);
                return buffer;
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static class Native
        {
            public const int ENOENT = 2;
            // EEXIST is 17 on Linux and on macOS/BSD alike.
            public const int EEXIST = 17;

            [DllImport("libc", SetLastError = true)]
            public static extern int link(string oldpath, string newpath);

            [DllImport("libc", SetLastError = true)]
            public static extern int rename(string oldpath, string newpath);
        }
    }
}
