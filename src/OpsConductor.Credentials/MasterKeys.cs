using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpsConductor.Shared.Security;

namespace OpsConductor.Credentials;

/// <summary>Where the master key comes from, in order: a setting, a configured key file, the generated default file.</summary>
public sealed record MasterKeySettings(string? KeyBase64, string? KeyFile, string DefaultKeyFile)
{
    public const string KeySetting = "OpsConductor:Credentials:MasterKey";
    public const string KeyFileSetting = "OpsConductor:Credentials:MasterKeyFile";

    public bool UsesDefaultFile => string.IsNullOrWhiteSpace(KeyBase64) && string.IsNullOrWhiteSpace(KeyFile);

    public static MasterKeySettings From(IConfiguration configuration, string dataDirectory) => new(
        configuration[KeySetting],
        configuration[KeyFileSetting],
        Path.Combine(dataDirectory, "keys", "master.key"));
}

/// <summary>
/// The master key of this process, loaded once after the database is migrated. Never a built-in key: without a
/// usable key for the stored secrets the service refuses to start.
/// </summary>
public sealed class MasterKeyRing(MasterKeySettings settings)
{
    SecretCipher? _cipher;

    public SecretCipher Cipher => _cipher ?? throw new InvalidOperationException("The credentials master key is not loaded yet.");

    public MasterKeySettings Settings => settings;

    public async Task LoadAsync(CredentialsDb db, Action<string> inform, CancellationToken ct)
    {
        var storedKeyIds = await db.Secrets.Select(s => s.KeyId).Distinct().ToListAsync(ct);
        var key = Read(settings, generateIfMissing: storedKeyIds.Count == 0, inform);
        var cipher = new SecretCipher(key);
        var unknown = storedKeyIds.Where(id => !cipher.Knows(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The credentials master key ({key.Id}, from {Describe(settings)}) does not match the key the stored secrets were encrypted with " +
                $"({string.Join(", ", unknown)}). Configure the right key ({MasterKeySettings.KeySetting} or {MasterKeySettings.KeyFileSetting}) " +
                "or restore keys/master.key from your backup. OpsConductor will not start without it.");
        }
        _cipher = cipher;
    }

    /// <summary>Reads the configured key; on the embedded default, generates the key file on first start.</summary>
    public static MasterKey Read(MasterKeySettings settings, bool generateIfMissing, Action<string>? inform = null)
    {
        if (!string.IsNullOrWhiteSpace(settings.KeyBase64))
        {
            return MasterKey.FromBase64(settings.KeyBase64, MasterKeySettings.KeySetting);
        }
        if (!string.IsNullOrWhiteSpace(settings.KeyFile))
        {
            if (!File.Exists(settings.KeyFile))
            {
                throw new InvalidOperationException(
                    $"The credentials master key file {settings.KeyFile} ({MasterKeySettings.KeyFileSetting}) does not exist. OpsConductor will not start without it.");
            }
            return MasterKey.FromBase64(File.ReadAllText(settings.KeyFile), $"The master key file {settings.KeyFile}");
        }
        if (File.Exists(settings.DefaultKeyFile))
        {
            return MasterKey.FromBase64(File.ReadAllText(settings.DefaultKeyFile), $"The master key file {settings.DefaultKeyFile}");
        }
        if (!generateIfMissing)
        {
            throw new InvalidOperationException(
                $"Credentials are stored in the database but the master key file {settings.DefaultKeyFile} is missing. Restore it from your backup " +
                $"or set {MasterKeySettings.KeySetting} / {MasterKeySettings.KeyFileSetting}. OpsConductor will not start without it.");
        }
        try
        {
            SecretFiles.CreateOwnerOnly(settings.DefaultKeyFile, MasterKey.GenerateBase64() + "\n");
            inform?.Invoke($"Generated the credentials master key {settings.DefaultKeyFile}: back it up, secrets cannot be read without it.");
        }
        catch (IOException) when (File.Exists(settings.DefaultKeyFile))
        {
            // another process sharing the data directory created it first
        }
        return MasterKey.FromBase64(File.ReadAllText(settings.DefaultKeyFile), $"The master key file {settings.DefaultKeyFile}");
    }

    static string Describe(MasterKeySettings s) =>
        !string.IsNullOrWhiteSpace(s.KeyBase64) ? MasterKeySettings.KeySetting
        : !string.IsNullOrWhiteSpace(s.KeyFile) ? s.KeyFile
        : s.DefaultKeyFile;
}
