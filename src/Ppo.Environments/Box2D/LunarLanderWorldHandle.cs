using Microsoft.Win32.SafeHandles;

namespace Ppo.Environments.Box2D;

/// <summary>Owns one native LunarLander simulation (its Box2D world) and destroys it when released, also from the finalizer.</summary>
internal sealed class LunarLanderWorldHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an invalid handle; the P/Invoke marshaller sets it from <c>ppo_lunar_create</c>.</summary>
    public LunarLanderWorldHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        LunarLanderNative.Destroy(handle);
        return true;
    }
}
