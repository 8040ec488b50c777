package labortrace.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j community embedded with a Bolt connector on 127.0.0.1 so that any neo4j-driver can talk to it.
 *
 * Usage: Launcher --home DIR --port N [--config FILE]
 * FILE is an ordinary neo4j.conf (server.memory.pagecache.size=1g, ...), written by the labortrace CLI.
 * Auth is disabled: the connector listens on loopback only.
 * SIGTERM / SIGINT shut the database down cleanly (checkpoint, store closed) before the JVM exits.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--config" -> config = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("unexpected argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("usage: Launcher --home DIR --port N [--config FILE]");
            System.exit(2);
        }

        long started = System.nanoTime();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (config != null) {
            builder.loadPropertiesFromFile(config);
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("labortrace-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("labortrace-neo4j: stopped");
            stopped.countDown();
        }, "labortrace-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.printf("labortrace-neo4j: ready on bolt://127.0.0.1:%d (store %s, %d ms)%n",
                port, home, (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        stopped.await();
    }
}
