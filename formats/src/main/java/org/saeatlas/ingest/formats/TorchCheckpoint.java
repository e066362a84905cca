package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a PyTorch checkpoint ({@code torch.save}, the zip format of PyTorch 1.6+: {@code <name>/data.pkl}, a pickle,
 * and {@code <name>/data/<key>}, the raw bytes of each storage) without Python. The pickle is read by Razorvine's
 * unpickler with every global restricted to what a state dict needs: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter} and the typed storage classes
 * ({@code torch.FloatStorage}, ...). Any other global (a class, a function to call) is refused naming it: nothing in
 * the file is ever executed. Tensors come back as {@link Tensor}s (C order, little-endian), the other values (a
 * config dict, numbers) as plain Java values.
 */
public final class TorchCheckpoint {

    /** A loaded checkpoint: every tensor by its dotted path ({@code state_dict.encoder.weight}) and the rest. */
    public record Contents(Path file, Map<String, Tensor> tensors, Map<String, Object> values) { }

    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", DType.F32), Map.entry("DoubleStorage", DType.F64),
            Map.entry("HalfStorage", DType.F16), Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

    private TorchCheckpoint() {
    }

    public static Contents read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().equals("data.pkl") || e.getName().endsWith("/data.pkl"))
                    .findFirst().orElseThrow(() -> FormatError.of(file, "zip entries", "a PyTorch checkpoint with"
                            + " <name>/data.pkl", "none"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String text = new String(zip.getInputStream(bo).readAllBytes()).strip();
                order = text.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = new Restricted(file, zip, prefix, order).load(in);
            } catch (PickleException e) {
                throw FormatError.of(file, prefix + "data.pkl", "a pickled state dict of tensors", e.getMessage());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, Object> values = new LinkedHashMap<>();
            flatten(file, "", root, tensors, values);
            return new Contents(file, tensors, values);
        } catch (java.util.zip.ZipException e) {
            throw FormatError.of(file, "file", "a PyTorch zip checkpoint (torch.save since PyTorch 1.6)",
                    "not a zip archive (" + e.getMessage() + "); re-save it with a current torch.save, or as"
                            + " safetensors");
        } catch (IOException e) {
            throw FormatError.io(file, "read the PyTorch checkpoint", e);
        }
    }

    private static void flatten(Path file, String path, Object v, Map<String, Tensor> tensors,
                                Map<String, Object> values) {
        if (v instanceof Rebuilt t) {
            tensors.put(path, t.tensor(file, path));
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new java.util.TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x)); // pickled dicts arrive unordered
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                flatten(file, path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(), e.getValue(),
                        tensors, values);
            }
        } else {
            values.put(path, v);
        }
    }

    /** A storage as the pickle names it: its element type and the bytes of {@code data/<key>}. */
    private record Storage(DType dtype, ByteBuffer bytes, String key) { }

    /** The typed storage class of a persistent id. */
    private record StorageType(DType dtype) { }

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a view (offset, sizes, strides) of a storage. */
    private record Rebuilt(Storage storage, long offset, long[] size, long[] stride) {

        Tensor tensor(Path file, String name) {
            int width = storage.dtype().size();
            long n = 1;
            for (long d : size) {
                n = Math.multiplyExact(n, d);
            }
            ByteBuffer src = storage.bytes();
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(n * width)).order(ByteOrder.LITTLE_ENDIAN);
            long[] index = new long[size.length];
            for (long k = 0; k < n; k++) {
                long at = offset;
                for (int d = 0; d < size.length; d++) {
                    at += index[d] * stride[d];
                }
                long byteAt = at * width;
                if (at < 0 || byteAt + width > src.capacity()) {
                    throw FormatError.of(file, "tensor '" + name + "'", "a view inside its storage data/"
                            + storage.key() + " (" + src.capacity() / width + " elements)", "element " + at);
                }
                // to little-endian, whatever the file's byte order
                for (int b = 0; b < width; b++) {
                    int from = src.order() == ByteOrder.LITTLE_ENDIAN ? b : width - 1 - b;
                    out.put(src.get((int) byteAt + from));
                }
                for (int d = size.length - 1; d >= 0; d--) {
                    if (++index[d] < size[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(file.toString(), name, storage.dtype(), size, out.flip());
        }
    }

    /** {@code OrderedDict}: a map whose pickled {@code _metadata} (BUILD state) is dropped. */
    private static final class StateDict extends HashMap<Object, Object> { }

    /** The unpickler with its globals restricted and persistent ids resolved to the zip's storages. */
    private static final class Restricted extends Unpickler {
        private final Path file;
        private final ZipFile zip;
        private final String prefix;
        private final ByteOrder order;
        private final Map<String, Storage> storages = new HashMap<>();

        Restricted(Path file, ZipFile zip, String prefix, ByteOrder order) {
            this.file = file;
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case Opcodes.GLOBAL -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(global(module, name));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.STACK_GLOBAL -> {
                    String name = String.valueOf(stack.pop());
                    String module = String.valueOf(stack.pop());
                    stack.add(global(module, name));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.INST, Opcodes.OBJ -> throw new PickleException("refused opcode "
                        + (key == Opcodes.INST ? "INST" : "OBJ") + " (builds arbitrary objects)");
                case Opcodes.BUILD -> {
                    stack.pop(); // the state: only an OrderedDict's _metadata is expected
                    if (!(stack.peek() instanceof StateDict)) {
                        throw new PickleException("refused BUILD on " + stack.peek().getClass().getSimpleName()
                                + " (only an OrderedDict's metadata is expected)");
                    }
                    return NO_RETURN_VALUE;
                }
                default -> {
                    return super.dispatch(key);
                }
            }
        }

        private Object global(String module, String name) {
            String full = module + "." + name;
            if (full.equals("collections.OrderedDict")) {
                return (IObjectConstructor) args -> new StateDict();
            }
            if (full.equals("torch._utils._rebuild_tensor_v2") || full.equals("torch._utils._rebuild_tensor")) {
                return (IObjectConstructor) this::rebuild;
            }
            if (full.equals("torch._utils._rebuild_parameter")) {
                return (IObjectConstructor) args -> args[0];
            }
            if (module.equals("torch") && STORAGES.containsKey(name)) {
                return new StorageType(STORAGES.get(name));
            }
            throw new PickleException("refused global " + full + ": a state dict of tensors needs only "
                    + Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                    "torch._utils._rebuild_parameter", "torch.<Type>Storage") + "; nothing in the file is executed");
        }

        private Object rebuild(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof Storage s)) {
                throw new PickleException("_rebuild_tensor_v2: expected (storage, offset, size, stride, ...)");
            }
            return new Rebuilt(s, number(args[1]), longs(args[2]), longs(args[3]));
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                    || !(t[1] instanceof StorageType type)) {
                throw new PickleException("persistent id: expected ('storage', <Type>Storage, key, location, numel),"
                        + " found " + java.util.Arrays.deepToString(pid instanceof Object[] a ? a : new Object[] {pid}));
            }
            String key = String.valueOf(t[2]);
            return storages.computeIfAbsent(key, k -> {
                ZipEntry e = zip.getEntry(prefix + "data/" + k);
                if (e == null) {
                    throw new PickleException("storage data/" + k + " is missing from the archive");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] bytes = in.readAllBytes();
                    long numel = number(t[4]);
                    if (bytes.length != numel * type.dtype().size()) {
                        throw new PickleException("storage data/" + k + ": " + bytes.length + " bytes, expected "
                                + numel + " x " + type.dtype().size());
                    }
                    return new Storage(type.dtype(), ByteBuffer.wrap(bytes).order(order), k);
                } catch (IOException x) {
                    throw new PickleException("storage data/" + k + ": " + x.getMessage());
                }
            });
        }

        private static long number(Object o) {
            if (o instanceof Number n) {
                return n.longValue();
            }
            throw new PickleException("expected an integer, found " + o);
        }

        private static long[] longs(Object o) {
            if (!(o instanceof Object[] a)) {
                throw new PickleException("expected a tuple of integers, found " + o);
            }
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = number(a[i]);
            }
            return out;
        }
    }
}
