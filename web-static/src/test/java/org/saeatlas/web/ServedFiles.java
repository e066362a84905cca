package org.saeatlas.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files the server serves, found on the test classpath the way the server finds them:
 * {@code META-INF/atlas-web/**} at {@code /}, and WebJar contents ({@code META-INF/resources/webjars/**})
 * at {@code /webjars/}.
 */
final class ServedFiles {

  static final String WEB_ROOT = "META-INF/atlas-web/";
  static final String WEBJARS_ROOT = "META-INF/resources/webjars/";

  private ServedFiles() {}

  /** Every file under META-INF/atlas-web, as URL paths ("/index.html", "/js/app.js"), sorted. */
  static List<String> webPaths() {
    Path root = webRootDirectory();
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The classpath resource that serves a URL path, e.g. "/webjars/x/1/a.js" or "/js/app.js". */
  static String resourceFor(String urlPath) {
    String path = urlPath.endsWith("/") ? urlPath + "index.html" : urlPath;
    if (path.startsWith("/webjars/")) {
      return WEBJARS_ROOT + path.substring("/webjars/".length());
    }
    return WEB_ROOT + path.substring(1);
  }

  static boolean exists(String urlPath) {
    return ServedFiles.class.getClassLoader().getResource(resourceFor(urlPath)) != null;
  }

  static String read(String urlPath) {
    String resource = resourceFor(urlPath);
    try (InputStream in = ServedFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no classpath resource " + resource + " serves " + urlPath);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path webRootDirectory() {
    URL url = ServedFiles.class.getClassLoader().getResource(WEB_ROOT + "index.html");
    if (url == null || !"file".equals(url.getProtocol())) {
      throw new IllegalStateException("expected " + WEB_ROOT + "index.html in a classpath directory (target/classes) but found " + url);
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The GraphQL schema, read from the sibling schema module's sources (works in a reactor or -pl build). */
  static String schemaText() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path schema = module.resolve("../schema/src/main/resources/graphql/atlas.graphqls").normalize();
    if (!Files.isRegularFile(schema)) {
      throw new IllegalStateException("expected the GraphQL schema at " + schema + " (run the build from the repository)");
    }
    try {
      return Files.readString(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
