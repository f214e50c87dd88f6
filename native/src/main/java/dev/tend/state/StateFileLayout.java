package dev.tend.state;

/**
 * The binary layout of a tend state file, layout version {@value #LAYOUT_MAJOR}.{@value #LAYOUT_MINOR}.
 *
 * <p>All integers are little-endian. Every word that one process writes while another reads it is a
 * naturally aligned 8-byte word (checked when this class initialises), so that it can be accessed
 * atomically from any language. The file is never truncated or shrunk; it only grows, by reserving
 * storage (zeros written, or {@code fallocate}), from the bump allocator {@code allocEnd}. {@code docs/state-file.md} describes the
 * protocol that goes with these offsets.
 *
 * <pre>
 * File
 * +------------------------+ 0
 * | header (4 KiB)         |
 * +------------------------+ 4096 = FIRST_BLOCK_OFFSET
 * | table block 0 (16 KiB) |  slots 0..62
 * +------------------------+ 20480 = initial allocEnd
 * | buffers and further    |  allocated in any order by the bump allocator, 64-byte aligned
 * | table blocks           |
 * +------------------------+ allocEnd
 *
 * Header (4096 bytes; every field u64 unless marked)
 *    0 +------------------+ magic "TENDSTAT"
 *    8 | major u32        | minor u32 at 12
 *   16 | readyState       | 0 init, 1 ready, 2 closed; stored last (release)
 *   24 | maxSnapshotBytes |
 *   32 | supervisorPid    |
 *   40 | supervisorStart- | field 22 of /proc/PID/stat
 *      | Ticks            |
 *   48 | createdAtMillis  |
 *   56 | reserved         |
 *   64 +------------------+ slotCount: own cache line, supervisor, release
 *  128 +------------------+ allocEnd: own cache line, any writer, CAS
 *  136 | reserved, zero   |
 *  192 +------------------+ pidNamespace: inode of the creator's /proc/self/ns/pid
 *  200 | timeNamespace    | inode of its /proc/self/ns/time, 0 if the kernel has none
 *  208 | reserved, zero   |
 * 4096 +------------------+
 *
 * Table block (16 KiB)
 * +-----------------+-----------------+----------------------+
 * | nextBlockOffset | firstSlotIndex  | reserved to 256      |
 * +-----------------+-----------------+----------------------+
 * | slot descriptor 0 (256 bytes)                            |
 * | ...                                                      |
 * | slot descriptor 62                                       |
 * +----------------------------------------------------------+
 *
 * Slot descriptor (256 bytes)
 *   0 publishedVersion   writer line: the latch readers load first
 *   8 bufOffset[0]       file offset of buffer 0, 0 until allocated
 *  16 bufOffset[1]
 *  24 lockOwner          publishers' lock: 0 free, else (startTicks mod 2^41) << 22 | pid of the holder
 *  64 ownerState u32 | ownerPid u32   one 8-byte word, supervisor line
 *  72 ownerEpoch
 *  80 ownerSinceMillis
 *  88 recordState        1 once allocated
 *  96 nameLength u32, 100 poolLength u32
 * 104 ownerTokenHash     hash of the current incarnation's publishing token (see OwnerToken)
 * 128 name  (64 bytes UTF-8)
 * 192 pool  (64 bytes UTF-8)
 *
 * Snapshot buffer (64-byte header, then the payload)
 *   0 seq                2v-1 while version v is written, 2v once it is complete
 *   8 capacity           payload bytes this buffer can hold; fixed
 *  16 version
 *  24 length             payload bytes in use
 *  32 publishedAtMillis
 *  40 writerEpoch
 *  64 payload[capacity]
 * </pre>
 */
public final class StateFileLayout {
    private StateFileLayout() {}

    /** Size of every shared word. */
    public static final int WORD = 8;
    /** Cache line size the layout separates writers by. */
    public static final int CACHE_LINE = 64;

    /** "TENDSTAT" read as a little-endian 64-bit integer. */
    public static final long MAGIC = 0x5441_5453_444E_4554L;
    /**
     * Readers reject any other major version. 2 replaced 1's per-slot OFD lock with the {@code lockOwner} word: a
     * publisher of 1.x would not see that lock, so the change cannot be a minor one.
     */
    public static final int LAYOUT_MAJOR = 2;
    /** Minor versions only add meaning to reserved fields; readers accept any. 1 added {@code ownerTokenHash}. */
    public static final int LAYOUT_MINOR = 1;

    /** {@code readyState} while the creator is still writing the header. */
    public static final long READY_INIT = 0;
    /** {@code readyState} once the header and block 0 are complete. */
    public static final long READY = 1;
    /** {@code readyState} after the supervisor closed the file; data stays readable. */
    public static final long READY_CLOSED = 2;

    // ---- header ----
    /** Header length; the first table block follows it. */
    public static final int HEADER_LENGTH = 4096;
    /** u64: {@link #MAGIC}. */
    public static final int MAGIC_OFFSET = 0;
    /** u32: layout major version. */
    public static final int LAYOUT_MAJOR_OFFSET = MAGIC_OFFSET + WORD;
    /** u32: layout minor version. */
    public static final int LAYOUT_MINOR_OFFSET = LAYOUT_MAJOR_OFFSET + 4;
    /** u64: 0 init, 1 ready, 2 closed; stored last with release semantics. */
    public static final int READY_STATE_OFFSET = LAYOUT_MINOR_OFFSET + 4;
    /** u64: largest accepted payload in bytes. */
    public static final int MAX_SNAPSHOT_OFFSET = READY_STATE_OFFSET + WORD;
    /** u64: pid of the supervisor that created the file. */
    public static final int SUPERVISOR_PID_OFFSET = MAX_SNAPSHOT_OFFSET + WORD;
    /** u64: that process's start time, field 22 of {@code /proc/PID/stat} (clock ticks since boot). */
    public static final int SUPERVISOR_START_TICKS_OFFSET = SUPERVISOR_PID_OFFSET + WORD;
    /** u64: creation time, milliseconds since the epoch. */
    public static final int CREATED_AT_OFFSET = SUPERVISOR_START_TICKS_OFFSET + WORD;
    /** u64: number of allocated slots; own cache line, release-stored by the supervisor. */
    public static final int SLOT_COUNT_OFFSET = lineAfter(CREATED_AT_OFFSET + WORD);
    /** u64: end of the allocated part of the file; own cache line, advanced by CAS. */
    public static final int ALLOC_END_OFFSET = lineAfter(SLOT_COUNT_OFFSET + WORD);
    /**
     * u64: inode number of the creator's PID namespace ({@code /proc/self/ns/pid}), 0 if unknown. Slot locks name
     * their holders by pid, which only means something inside one PID namespace: publishers from another one
     * are refused.
     */
    public static final int PID_NAMESPACE_OFFSET = lineAfter(ALLOC_END_OFFSET + WORD);
    /**
     * u64: inode number of the creator's time namespace ({@code /proc/self/ns/time}), 0 on kernels without
     * them. Process start times in {@code /proc} are shifted by the reader's time namespace, so publishers from
     * another one are refused too.
     */
    public static final int TIME_NAMESPACE_OFFSET = PID_NAMESPACE_OFFSET + WORD;

    // ---- table block ----
    /** Offset of table block 0. */
    public static final int FIRST_BLOCK_OFFSET = HEADER_LENGTH;
    /** Length of a table block. */
    public static final int BLOCK_LENGTH = 16384;
    /** u64: file offset of the next block, 0 for none; release-stored before slots in it are counted. */
    public static final int BLOCK_NEXT_OFFSET = 0;
    /** u64: global index of the block's first slot. */
    public static final int BLOCK_FIRST_SLOT_OFFSET = BLOCK_NEXT_OFFSET + WORD;
    /** The block header occupies one descriptor's room. */
    public static final int BLOCK_HEADER_LENGTH = 256;

    // ---- slot descriptor ----
    /** Length of a slot descriptor. */
    public static final int DESCRIPTOR_LENGTH = 256;
    /** Descriptors per table block. */
    public static final int SLOTS_PER_BLOCK = (BLOCK_LENGTH - BLOCK_HEADER_LENGTH) / DESCRIPTOR_LENGTH;
    /** u64: the latch; version of the complete buffer {@code bufOffset[v & 1]}, 0 before the first publish. */
    public static final int PUBLISHED_VERSION_OFFSET = 0;
    /** u64[2]: file offsets of the two buffers, 0 until allocated. */
    public static final int BUF_OFFSETS_OFFSET = PUBLISHED_VERSION_OFFSET + WORD;
    /**
     * u64: the lock that serialises the slot's publishers: {@link #LOCK_FREE}, or {@link #lockOwner} of the
     * process holding it. Taken by CAS, released by a release store; stolen by CAS from a holder that is dead.
     */
    public static final int LOCK_OWNER_OFFSET = BUF_OFFSETS_OFFSET + 2 * WORD;
    /** u32: {@link OwnerState} code; shares one 8-byte word with {@link #OWNER_PID_OFFSET}. */
    public static final int OWNER_STATE_OFFSET = lineAfter(LOCK_OWNER_OFFSET + WORD);
    /** u32: pid of the current worker process, 0 if none. */
    public static final int OWNER_PID_OFFSET = OWNER_STATE_OFFSET + 4;
    /** u64: incarnation number, bumped before each spawn; public, for readers: not what publishers present. */
    public static final int OWNER_EPOCH_OFFSET = OWNER_PID_OFFSET + 4;
    /** u64: when the owner entered its state, milliseconds since the epoch. */
    public static final int OWNER_SINCE_OFFSET = OWNER_EPOCH_OFFSET + WORD;
    /** u64: 0 unused, 1 allocated. */
    public static final int RECORD_STATE_OFFSET = OWNER_SINCE_OFFSET + WORD;
    /** u32: bytes of {@code name} in use. */
    public static final int NAME_LENGTH_OFFSET = RECORD_STATE_OFFSET + WORD;
    /** u32: bytes of {@code pool} in use, 0 for a slot that no pool name aliases. */
    public static final int POOL_LENGTH_OFFSET = NAME_LENGTH_OFFSET + 4;
    /**
     * u64: {@link OwnerToken#hash} of the token the current incarnation was given, which publishers must present;
     * {@link OwnerToken#NONE} before the first. Written by the supervisor before each spawn.
     */
    public static final int OWNER_TOKEN_HASH_OFFSET = POOL_LENGTH_OFFSET + 4;
    /** Longest slot or pool name, in UTF-8 bytes. */
    public static final int NAME_CAPACITY = 64;
    /** bytes: the slot name, UTF-8, unused bytes zero. */
    public static final int NAME_OFFSET = lineAfter(OWNER_TOKEN_HASH_OFFSET + WORD);
    /** bytes: the pool name, UTF-8, unused bytes zero. */
    public static final int POOL_OFFSET = NAME_OFFSET + NAME_CAPACITY;

    /** {@code recordState} of a descriptor in use. */
    public static final long RECORD_ALLOCATED = 1;

    // ---- snapshot buffer ----
    /** u64: 2v-1 while version v is being written, 2v when it is complete. */
    public static final int SEQ_OFFSET = 0;
    /** u64: payload capacity; written before the buffer's offset is published, never changed. */
    public static final int CAPACITY_OFFSET = SEQ_OFFSET + WORD;
    /** u64: version held (redundant with seq; a check for foreign writers). */
    public static final int VERSION_OFFSET = CAPACITY_OFFSET + WORD;
    /** u64: payload length in bytes. */
    public static final int LENGTH_OFFSET = VERSION_OFFSET + WORD;
    /** u64: publish time, milliseconds since the epoch. */
    public static final int PUBLISHED_AT_OFFSET = LENGTH_OFFSET + WORD;
    /** u64: the ownerEpoch the publisher presented (0 for the supervisor). */
    public static final int WRITER_EPOCH_OFFSET = PUBLISHED_AT_OFFSET + WORD;
    /** Offset of the payload within a buffer; also the buffer header length. */
    public static final int PAYLOAD_OFFSET = lineAfter(WRITER_EPOCH_OFFSET + WORD);
    /** Smallest buffer allocated (header included). */
    public static final int MIN_BUFFER_LENGTH = 256;

    // ---- the slot lock ----
    /** {@code lockOwner} of a slot nobody is publishing into. */
    public static final long LOCK_FREE = 0;
    /** Bits of {@code lockOwner} holding the pid: Linux pids are below 2^22 ({@code PID_MAX_LIMIT}). */
    public static final int LOCK_PID_BITS = 22;
    /**
     * Bits of {@code lockOwner} holding the holder's start time, in clock ticks since boot, modulo 2^41: at 100
     * ticks a second that wraps after about 697 years of uptime, so the pair is as unique as the full one.
     */
    public static final int LOCK_START_BITS = 41;
    private static final long LOCK_PID_MASK = (1L << LOCK_PID_BITS) - 1;
    private static final long LOCK_START_MASK = (1L << LOCK_START_BITS) - 1;

    // ---- limits ----
    /** Default {@code maxSnapshotBytes}. */
    public static final long DEFAULT_MAX_SNAPSHOT = 1L << 20;
    /** Largest {@code maxSnapshotBytes} a file may be created with. */
    public static final long MAX_MAX_SNAPSHOT = 64L << 20;
    /** Smallest {@code maxSnapshotBytes}: an empty map encodes to 4 bytes. */
    public static final long MIN_MAX_SNAPSHOT = 4;
    /** Longest key in UTF-8 bytes. */
    public static final int MAX_KEY_LENGTH = 1024;
    /** The file never grows past this: Java maps it as one buffer. */
    public static final long MAX_FILE_LENGTH = Integer.MAX_VALUE;
    /** {@code allocEnd} of a new file: the header plus table block 0. */
    public static final int INITIAL_ALLOC_END = FIRST_BLOCK_OFFSET + BLOCK_LENGTH;

    static {
        int[] words = {MAGIC_OFFSET, READY_STATE_OFFSET, MAX_SNAPSHOT_OFFSET, SUPERVISOR_PID_OFFSET,
            SUPERVISOR_START_TICKS_OFFSET, CREATED_AT_OFFSET, SLOT_COUNT_OFFSET, ALLOC_END_OFFSET,
            PID_NAMESPACE_OFFSET, TIME_NAMESPACE_OFFSET, BLOCK_NEXT_OFFSET, BLOCK_FIRST_SLOT_OFFSET,
            PUBLISHED_VERSION_OFFSET, BUF_OFFSETS_OFFSET, BUF_OFFSETS_OFFSET + WORD, LOCK_OWNER_OFFSET,
            OWNER_STATE_OFFSET, OWNER_EPOCH_OFFSET, OWNER_SINCE_OFFSET, OWNER_TOKEN_HASH_OFFSET,
            RECORD_STATE_OFFSET, SEQ_OFFSET, CAPACITY_OFFSET, VERSION_OFFSET, LENGTH_OFFSET,
            PUBLISHED_AT_OFFSET, WRITER_EPOCH_OFFSET, PAYLOAD_OFFSET, HEADER_LENGTH, BLOCK_LENGTH,
            DESCRIPTOR_LENGTH, BLOCK_HEADER_LENGTH, INITIAL_ALLOC_END};
        for (int offset : words) {
            check(offset % WORD == 0, "shared word at offset " + offset + " is not 8-byte aligned");
        }
        check(TIME_NAMESPACE_OFFSET + WORD <= HEADER_LENGTH, "header fields overflow the header");
        check(LOCK_OWNER_OFFSET + WORD <= CACHE_LINE, "the lock word left the publishers' cache line");
        check(LOCK_PID_BITS + LOCK_START_BITS == 63, "lockOwner must stay a non-negative u64");
        check(POOL_OFFSET + NAME_CAPACITY == DESCRIPTOR_LENGTH, "descriptor fields do not fill the descriptor");
        check(BLOCK_HEADER_LENGTH + SLOTS_PER_BLOCK * DESCRIPTOR_LENGTH == BLOCK_LENGTH,
                "descriptors do not fill the table block");
        check(PAYLOAD_OFFSET == CACHE_LINE, "buffer header is not one cache line");
        check(BLOCK_LENGTH % CACHE_LINE == 0 && MIN_BUFFER_LENGTH % CACHE_LINE == 0,
                "allocations would break 64-byte alignment");
    }

    /** File offset of descriptor {@code indexInBlock} in the table block at {@code blockOffset}. */
    public static long descriptorOffset(long blockOffset, int indexInBlock) {
        return blockOffset + BLOCK_HEADER_LENGTH + (long) indexInBlock * DESCRIPTOR_LENGTH;
    }

    /** File offset of the {@code bufOffset[index]} word of the descriptor at {@code descriptor}. */
    public static long bufOffsetField(long descriptor, int index) {
        return descriptor + BUF_OFFSETS_OFFSET + (long) index * WORD;
    }

    /**
     * The {@code lockOwner} value naming process {@code pid}, which started {@code startTicks} clock ticks after
     * boot (field 22 of {@code /proc/PID/stat}). Never {@link #LOCK_FREE}, since pids start at 1.
     *
     * @throws IllegalArgumentException for a pid outside 1 .. 2^22 - 1.
     */
    public static long lockOwner(long pid, long startTicks) {
        if (pid <= 0 || pid > LOCK_PID_MASK) {
            throw new IllegalArgumentException("pid " + pid + " does not fit the slot lock's 22 bits");
        }
        return (startTicks & LOCK_START_MASK) << LOCK_PID_BITS | pid;
    }

    /** The pid a {@code lockOwner} value names. */
    public static int lockPid(long owner) {
        return (int) (owner & LOCK_PID_MASK);
    }

    /** The start time a {@code lockOwner} value names, modulo 2^41 ticks. */
    public static long lockStartTicks(long owner) {
        return owner >>> LOCK_PID_BITS & LOCK_START_MASK;
    }

    /** Whether a full start time (field 22 of {@code /proc/PID/stat}) matches the one in {@code owner}. */
    public static boolean lockStartMatches(long owner, long startTicks) {
        return (startTicks & LOCK_START_MASK) == lockStartTicks(owner);
    }

    /**
     * Length of the buffer (header included) allocated for a payload of {@code payloadLength} bytes: the next
     * power of two, at least {@link #MIN_BUFFER_LENGTH}, but no more than the largest payload needs. Doubling
     * bounds the space leaked by outgrown buffers to about the size of the final buffer.
     */
    public static long bufferLengthFor(long payloadLength, long maxSnapshotBytes) {
        long needed = PAYLOAD_OFFSET + payloadLength;
        long pow2 = Math.max(MIN_BUFFER_LENGTH, Long.highestOneBit(needed - 1) << 1);
        long largest = alignUp(PAYLOAD_OFFSET + maxSnapshotBytes, CACHE_LINE);
        return Math.max(alignUp(needed, CACHE_LINE), Math.min(pow2, largest));
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static int lineAfter(int end) {
        return (int) alignUp(end, CACHE_LINE);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("StateFileLayout: " + message);
        }
    }
}
