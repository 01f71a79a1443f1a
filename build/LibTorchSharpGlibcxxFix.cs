// MSBuild task (compiled by RoslynCodeTaskFactory): lets TorchSharp's native library load on systems
// whose libstdc++ predates GLIBCXX_3.4.32 (GCC 13), e.g. Debian 12.
//
// libLibTorchSharp.so (TorchSharp 0.107) lists GLIBCXX_3.4.32 in its version-needed table only for
// _ZSt21ios_base_library_initv, a link-time anchor that is never called. Marking that one
// requirement VER_FLG_WEAK (0x2) makes the dynamic loader accept a libstdc++ without it.
// The task patches copies in the build or publish output only (write to a temp file, then rename,
// so a hard link into the NuGet cache is never modified), and does nothing when the system
// libstdc++ already provides the version or when the requirement is absent or already weak.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class LibTorchSharpGlibcxxFix : Task
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Folders searched recursively for libLibTorchSharp.so.</summary>
    [Required]
    public string[] Directories { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (SystemLibStdCxxHasVersion())
            return true;
        foreach (var directory in Directories)
        {
            if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
                continue;
            foreach (var path in Directory.EnumerateFiles(directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (PatchFile(path))
                        Log.LogMessage(MessageImportance.High, "Marked " + RequiredVersion + " weak in " + path + " (system libstdc++ lacks it).");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogWarning("Could not patch " + path + ": " + e.Message);
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemLibStdCxxHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(RequiredVersion + "\0");
        bool foundAny = false;
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate))
                continue;
            foundAny = true;
            if (IndexOf(File.ReadAllBytes(candidate), needle) >= 0)
                return true;
        }
        return !foundAny; // no libstdc++ where we can see it: nothing to judge, leave the file alone
    }

    private static bool PatchFile(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file");

        ulong sectionTable = BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)sectionTable + s * sectionSize);
            if (BitConverter.ToUInt32(elf, header + 0x04) != ShtGnuVerneed)
                continue;
            int verneed = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            int linkedStrings = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int entryCount = (int)BitConverter.ToUInt32(elf, header + 0x2C);
            int strings = checked((int)BitConverter.ToUInt64(elf, checked((int)sectionTable + linkedStrings * sectionSize) + 0x18));

            int entry = verneed;
            for (int e = 0; e < entryCount; e++)
            {
                int auxCount = BitConverter.ToUInt16(elf, entry + 2);
                int aux = entry + (int)BitConverter.ToUInt32(elf, entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, name) == RequiredVersion)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, aux + 4);
                            changed = true;
                        }
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                entry += (int)BitConverter.ToUInt32(elf, entry + 12);
            }
        }
        if (!changed)
            return false;
        var temp = path + ".glibcxx-fix.tmp";
        File.WriteAllBytes(temp, elf);
        File.Delete(path); // replace the directory entry, never write through a hard link into the NuGet cache
        File.Move(temp, path);
        return true;
    }

    private static string ReadCString(byte[] bytes, int offset)
    {
        int end = offset;
        while (end < bytes.Length && bytes[end] != 0)
            end++;
        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return i;
        }
        return -1;
    }
}
