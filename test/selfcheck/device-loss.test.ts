// DeviceLossWatch with a fake GPUDevice: calls racing it reject with DEVICE_LOST when the
// device is lost, a run failure the loss explains is DEVICE_LOST, one it does not stays as is.
import { describe, expect, it } from 'vitest';
import { DeviceLossWatch } from '../../src/runtime/web/device-loss';

function fakeOrt() {
  let lose!: (info: { reason: string; message: string }) => void;
  const lost = new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve));
  return { ort: { env: { webgpu: { device: Promise.resolve({ lost }) } } }, lose };
}
const never = () => new Promise<never>(() => undefined);

describe('DeviceLossWatch', () => {
  it('rejects calls in flight with DEVICE_LOST, tells listeners once, and rejects later calls at once', async () => {
    const { ort, lose } = fakeOrt();
    const watch = new DeviceLossWatch();
    const heard: string[] = [];
    watch.onLost((error) => heard.push(error.code));
    await watch.watch(ort);
    const inFlight = watch.race(never());
    const done = await watch.race(Promise.resolve(7));
    expect(done).toBe(7);
    lose({ reason: 'destroyed', message: 'Device was destroyed.' });
    await expect(inFlight).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    await expect(inFlight).rejects.toThrow(/lost \(destroyed: Device was destroyed\.\)/);
    expect(watch.reason).toBe('destroyed: Device was destroyed.');
    await expect(watch.race(Promise.resolve(1))).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    watch.markLost('again');
    expect(heard).toEqual(['DEVICE_LOST']);
  });

  it('a run that fails just before the loss is reported is DEVICE_LOST; a failure without a loss stays itself', async () => {
    const { ort, lose } = fakeOrt();
    const watch = new DeviceLossWatch();
    await watch.watch(ort);
    const failing = watch.race(Promise.reject(new Error('GPU buffer mapping failed')));
    lose({ reason: 'destroyed', message: '' });
    await expect(failing).rejects.toMatchObject({ code: 'DEVICE_LOST' });

    const other = new DeviceLossWatch();
    await other.watch(fakeOrt().ort);
    await expect(other.race(Promise.reject(new Error('shape mismatch')))).rejects.toThrow('shape mismatch');
    expect(other.reason).toBeNull();
  });

  it('an ORT without a WebGPU device has nothing to watch', async () => {
    const watch = new DeviceLossWatch();
    await watch.watch({ env: { webgpu: { device: Promise.reject(new Error('no device')) } } });
    await expect(watch.race(Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
