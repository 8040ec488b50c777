package labortrace.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.batchimport.api.Configuration;
import org.neo4j.batchimport.api.InputIterable;
import org.neo4j.batchimport.api.InputIterator;
import org.neo4j.batchimport.api.input.Collector;
import org.neo4j.batchimport.api.input.Group;
import org.neo4j.batchimport.api.input.IdType;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.batchimport.api.input.InputChunk;
import org.neo4j.batchimport.api.input.InputEntityVisitor;
import org.neo4j.batchimport.api.input.PropertySizeCalculator;
import org.neo4j.batchimport.api.input.ReadableGroups;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import org.neo4j.internal.schema.SchemaCommand;
import org.neo4j.internal.schema.SchemaDescriptor;
import org.neo4j.internal.schema.SchemaTokens;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.io.fs.FileSystemAbstraction;
import org.neo4j.io.layout.DatabaseLayout;
import org.neo4j.io.pagecache.context.CursorContextFactory;
import org.neo4j.io.pagecache.tracing.PageCacheTracer;
import org.neo4j.logging.InternalLogProvider;
import org.neo4j.logging.internal.LogService;
import org.neo4j.memory.MemoryTracker;
import org.neo4j.scheduler.JobScheduler;
import org.neo4j.token.TokenHolders;
import picocli.CommandLine;

/**
 * Neo4j's own parallel batch importer (the engine of `neo4j-admin database import full`, class ImportCommand.Full of
 * org.neo4j:neo4j-import-tool) run in-process on CSV files in neo4j-admin's header format, into a NEW Neo4j home:
 * once this exits 0, DIR/data/databases/neo4j and DIR/data/transactions/neo4j are a complete, cleanly closed store
 * of the `neo4j` database. A failed or killed import leaves an incomplete directory that labortrace discards; the
 * store in use is never touched here. labortrace swaps the new store in for the empty one while the embedded Neo4j
 * is stopped (src/db/embedded-neo4j.ts, replaceDatabaseStore; src/import/bulk-import.ts writes the CSV files).
 *
 * Usage: BulkImport --into DIR [--empty-array KEY]... [import options]
 * Every other argument goes to the import command as neo4j-admin takes it (--nodes=Entity:Worker=workers.csv,
 * --relationships=EMPLOYED_AT=employment.csv, --threads=2, --max-off-heap-memory=2g, --report-file=...).
 *
 * One addition to neo4j-admin's CSV semantics: an empty cell is no property in neo4j-admin, also for an array, and
 * there is no way to write an empty array in its CSV. `--empty-array KEY` gives every node that has an :ID, and every
 * relationship, the property KEY = [] (an empty string array) when its cell was empty: labortrace stores `evidence`
 * on every node and relationship, an empty list when a row names no evidence.
 *
 * Exit status: 0 imported; 1 the import failed (its message on stderr); 2 wrong usage.
 */
public final class BulkImport {
    private BulkImport() {}

    public static void main(String[] args) {
        Path into = null;
        List<String> emptyArrays = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--into" -> into = Path.of(args[++i]).toAbsolutePath();
                case "--empty-array" -> emptyArrays.add(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        if (into == null) {
            System.err.println("usage: BulkImport --into DIR [--empty-array KEY]... --nodes=... [--relationships=...] [import options]");
            System.exit(2);
        }
        int code;
        try {
            if (Files.exists(into)) {
                try (var entries = Files.list(into)) {
                    if (entries.findAny().isPresent()) {
                        System.err.println("labortrace-bulk: " + into + " is not empty; a bulk import writes a new store only");
                        System.exit(2);
                    }
                }
            }
            Files.createDirectories(into.resolve("conf"));
            // the import reads DIR/conf/neo4j.conf: none, so Neo4j's defaults (the store format the embedded Neo4j uses too)
            ExecutionContext ctx = new ExecutionContext(into, into.resolve("conf"), System.out, System.err, new DefaultFileSystemAbstraction());
            long started = System.nanoTime();
            CommandLine command = new CommandLine(new Full(ctx, List.copyOf(emptyArrays)));
            code = command.execute(rest.toArray(String[]::new));
            if (code == 0) {
                System.out.printf("labortrace-bulk: imported into %s in %d ms%n", into, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("labortrace-bulk: " + e);
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** `database import full` with the input decorated (see the class comment). */
    @CommandLine.Command(name = "full")
    static final class Full extends ImportCommand.Full {
        private final List<String> emptyArrays;

        Full(ExecutionContext ctx, List<String> emptyArrays) {
            super(ctx);
            this.emptyArrays = emptyArrays;
        }

        @Override
        protected void doImport(FileSystemAbstraction fs, DatabaseLayout layout, org.neo4j.configuration.Config config, JobScheduler jobScheduler,
                InternalLogProvider logProvider, PageCacheTracer pageCacheTracer, CursorContextFactory contextFactory, Configuration importConfig,
                LogService logService, PrintStream out, PrintStream err, boolean verbose, Collector badCollector, MemoryTracker memoryTracker,
                Input input) throws IOException {
            Input decorated = emptyArrays.isEmpty() ? input : new EmptyArrays(input, emptyArrays);
            super.doImport(fs, layout, config, jobScheduler, logProvider, pageCacheTracer, contextFactory, importConfig, logService, out, err, verbose,
                    badCollector, memoryTracker, decorated);
        }
    }

    /** The input, with empty arrays for the given keys on nodes that have an id and on every relationship. */
    static final class EmptyArrays implements Input {
        private static final String[] EMPTY = new String[0];
        private final Input input;
        private final List<String> keys;

        EmptyArrays(Input input, List<String> keys) {
            this.input = input;
            this.keys = keys;
        }

        @Override
        public InputIterable nodes(Collector collector) {
            return decorate(input.nodes(collector), false);
        }

        @Override
        public InputIterable relationships(Collector collector) {
            return decorate(input.relationships(collector), true);
        }

        private InputIterable decorate(InputIterable iterable, boolean relationships) {
            return () -> {
                InputIterator it = iterable.iterator();
                return new InputIterator() {
                    @Override
                    public InputChunk newChunk() {
                        return new Chunk(it.newChunk(), relationships);
                    }

                    @Override
                    public boolean next(InputChunk chunk) throws IOException {
                        return it.next(((Chunk) chunk).inner);
                    }

                    @Override
                    public void close() throws IOException {
                        it.close();
                    }
                };
            };
        }

        /** One chunk of the underlying input; its entities pass through a visitor that adds the missing arrays. */
        private final class Chunk implements InputChunk {
            final InputChunk inner;
            private final boolean relationships;
            private InputEntityVisitor lastTarget;
            private Visitor visitor;

            Chunk(InputChunk inner, boolean relationships) {
                this.inner = inner;
                this.relationships = relationships;
            }

            @Override
            public boolean next(InputEntityVisitor target) throws IOException {
                if (target != lastTarget) {
                    lastTarget = target;
                    visitor = new Visitor(target, relationships);
                }
                return inner.next(visitor);
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        }

        private final class Visitor extends InputEntityVisitor.Delegate {
            private final boolean relationships;
            private final boolean[] seen;
            private boolean hasId;

            Visitor(InputEntityVisitor target, boolean relationships) {
                super(target);
                this.relationships = relationships;
                this.seen = new boolean[keys.size()];
            }

            @Override
            public boolean property(String key, Object value) {
                int i = keys.indexOf(key);
                if (i >= 0) seen[i] = true;
                return super.property(key, value);
            }

            @Override
            public boolean id(Object id, Group group) {
                hasId = true;
                return super.id(id, group);
            }

            @Override
            public boolean id(Object id, Group group, org.neo4j.internal.id.IdSequence idSequence) {
                hasId = true;
                return super.id(id, group, idSequence);
            }

            @Override
            public boolean id(long id) {
                hasId = true;
                return super.id(id);
            }

            @Override
            public void endOfEntity() throws IOException {
                if (relationships || hasId) {
                    for (int i = 0; i < seen.length; i++) {
                        if (!seen[i]) super.property(keys.get(i), EMPTY);
                    }
                }
                clear();
                super.endOfEntity();
            }

            @Override
            public void reset() {
                clear();
                super.reset();
            }

            private void clear() {
                java.util.Arrays.fill(seen, false);
                hasId = false;
            }
        }

        @Override
        public IdType idType() {
            return input.idType();
        }

        @Override
        public ReadableGroups groups() {
            return input.groups();
        }

        @Override
        public Estimates validateAndEstimate(PropertySizeCalculator calculator) throws IOException {
            return input.validateAndEstimate(calculator);
        }

        @Override
        public Map<String, SchemaDescriptor> referencedNodeSchema(TokenHolders tokenHolders) {
            return input.referencedNodeSchema(tokenHolders);
        }

        @Override
        public List<SchemaCommand> schemaCommands() {
            return input.schemaCommands();
        }

        @Override
        public SchemaTokens schemaTokens() {
            return input.schemaTokens();
        }

        @Override
        public void close() {
            input.close();
        }
    }
}
