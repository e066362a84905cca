package org.saeatlas.ingest.db;

import java.net.InetAddress;
import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.collections.api.set.primitive.IntSet;
import org.neo4j.internal.kernel.api.RelTypeSupplier;
import org.neo4j.internal.kernel.api.TokenSet;
import org.neo4j.internal.kernel.api.security.AccessMode;
import org.neo4j.internal.kernel.api.security.PermissionState;
import org.neo4j.internal.kernel.api.security.PrivilegeAction;
import org.neo4j.internal.kernel.api.security.ReadSecurityPropertyProvider;
import org.neo4j.storageengine.api.PropertySelection;

/**
 * Neo4j's {@code READ} access mode plus {@code SHOW INDEXES}/{@code SHOW CONSTRAINTS}, which {@code READ} refuses
 * embedded while a server's read session allows them (the reader asks whether the vector index exists). Every other
 * check answers exactly as {@code READ}: writes and schema changes stay refused by the kernel. A plain delegating
 * class: the kernel asks it on every property read, so it must cost nothing (a reflective proxy cost ~5% of a
 * search request).
 */
final class ReadAndShowSchema implements AccessMode {

    static final AccessMode INSTANCE = new ReadAndShowSchema();

    private static final AccessMode READ = AccessMode.Static.READ;

    private ReadAndShowSchema() {
    }

    @Override
    public boolean allowsShowIndex() {
        return true;
    }

    @Override
    public boolean allowsShowConstraint() {
        return true;
    }

    @Override
    public String name() {
        return "READ";
    }

    @Override
    public boolean allowsWrites() {
        return READ.allowsWrites();
    }

    @Override
    public PermissionState allowsTokenCreates(PrivilegeAction action) {
        return READ.allowsTokenCreates(action);
    }

    @Override
    public boolean allowsSchemaWrites() {
        return READ.allowsSchemaWrites();
    }

    @Override
    public PermissionState allowsSchemaWrites(PrivilegeAction action) {
        return READ.allowsSchemaWrites(action);
    }

    @Override
    public boolean allowsTraverseAllLabels() {
        return READ.allowsTraverseAllLabels();
    }

    @Override
    public boolean allowsTraverseAllNodesWithLabel(int label) {
        return READ.allowsTraverseAllNodesWithLabel(label);
    }

    @Override
    public boolean disallowsTraverseLabel(int label) {
        return READ.disallowsTraverseLabel(label);
    }

    @Override
    public boolean allowsTraverseNode(int... labels) {
        return READ.allowsTraverseNode(labels);
    }

    @Override
    public IntSet getTraverseSecurityProperties(int[] labels) {
        return READ.getTraverseSecurityProperties(labels);
    }

    @Override
    public boolean hasApplicableTraverseAllowPropertyRules(int label) {
        return READ.hasApplicableTraverseAllowPropertyRules(label);
    }

    @Override
    public boolean allowsTraverseNodeWithPropertyRules(ReadSecurityPropertyProvider provider, int... labels) {
        return READ.allowsTraverseNodeWithPropertyRules(provider, labels);
    }

    @Override
    public boolean hasTraversePropertyRules() {
        return READ.hasTraversePropertyRules();
    }

    @Override
    public boolean allowsTraverseAllRelTypes() {
        return READ.allowsTraverseAllRelTypes();
    }

    @Override
    public boolean allowsTraverseRelType(int type) {
        return READ.allowsTraverseRelType(type);
    }

    @Override
    public boolean disallowsTraverseRelType(int type) {
        return READ.disallowsTraverseRelType(type);
    }

    @Override
    public boolean allowsReadPropertyAllLabels(int key) {
        return READ.allowsReadPropertyAllLabels(key);
    }

    @Override
    public boolean disallowsReadPropertyForSomeLabel(int key) {
        return READ.disallowsReadPropertyForSomeLabel(key);
    }

    @Override
    public boolean allowsReadNodeProperties(Supplier<TokenSet> labels, int[] keys, ReadSecurityPropertyProvider provider) {
        return READ.allowsReadNodeProperties(labels, keys, provider);
    }

    @Override
    public boolean allowsReadNodeProperties(Supplier<TokenSet> labels, int[] keys) {
        return READ.allowsReadNodeProperties(labels, keys);
    }

    @Override
    public boolean allowsReadNodeProperty(Supplier<TokenSet> labels, int key, ReadSecurityPropertyProvider provider) {
        return READ.allowsReadNodeProperty(labels, key, provider);
    }

    @Override
    public boolean allowsReadNodeProperty(Supplier<TokenSet> labels, int key) {
        return READ.allowsReadNodeProperty(labels, key);
    }

    @Override
    public boolean allowsReadPropertyAllRelTypes(int key) {
        return READ.allowsReadPropertyAllRelTypes(key);
    }

    @Override
    public boolean allowsReadRelationshipProperty(RelTypeSupplier type, int key) {
        return READ.allowsReadRelationshipProperty(type, key);
    }

    @Override
    public boolean allowsSeePropertyKeyToken(int key) {
        return READ.allowsSeePropertyKeyToken(key);
    }

    @Override
    public boolean hasPropertyReadRules() {
        return READ.hasPropertyReadRules();
    }

    @Override
    public boolean hasPropertyReadRules(int... keys) {
        return READ.hasPropertyReadRules(keys);
    }

    @Override
    public IntSet getReadSecurityProperties(int label) {
        return READ.getReadSecurityProperties(label);
    }

    @Override
    public IntSet getAllReadSecurityProperties() {
        return READ.getAllReadSecurityProperties();
    }

    @Override
    public PropertySelection getSecurityPropertySelection(PropertySelection selection) {
        return READ.getSecurityPropertySelection(selection);
    }

    @Override
    public PermissionState allowsExecuteProcedure(int id) {
        return READ.allowsExecuteProcedure(id);
    }

    @Override
    public PermissionState allowExecuteAdminProcedures() {
        return READ.allowExecuteAdminProcedures();
    }

    @Override
    public PermissionState shouldBoostProcedure(int id) {
        return READ.shouldBoostProcedure(id);
    }

    @Override
    public PermissionState allowsExecuteFunction(int id) {
        return READ.allowsExecuteFunction(id);
    }

    @Override
    public PermissionState shouldBoostFunction(int id) {
        return READ.shouldBoostFunction(id);
    }

    @Override
    public PermissionState allowsExecuteAggregatingFunction(int id) {
        return READ.allowsExecuteAggregatingFunction(id);
    }

    @Override
    public PermissionState shouldBoostAggregatingFunction(int id) {
        return READ.shouldBoostAggregatingFunction(id);
    }

    @Override
    public PermissionState allowsShowSetting(String setting) {
        return READ.allowsShowSetting(setting);
    }

    @Override
    public boolean allowsSetLabel(int label) {
        return READ.allowsSetLabel(label);
    }

    @Override
    public boolean allowsRemoveLabel(int label) {
        return READ.allowsRemoveLabel(label);
    }

    @Override
    public boolean allowsCreateNode(int[] labels) {
        return READ.allowsCreateNode(labels);
    }

    @Override
    public boolean allowsDeleteNode(Supplier<TokenSet> labels) {
        return READ.allowsDeleteNode(labels);
    }

    @Override
    public boolean allowsCreateRelationship(int type) {
        return READ.allowsCreateRelationship(type);
    }

    @Override
    public boolean allowsDeleteRelationship(int type) {
        return READ.allowsDeleteRelationship(type);
    }

    @Override
    public boolean allowsSetProperty(Supplier<TokenSet> labels, int key) {
        return READ.allowsSetProperty(labels, key);
    }

    @Override
    public boolean allowsSetProperty(RelTypeSupplier type, int key) {
        return READ.allowsSetProperty(type, key);
    }

    @Override
    public PermissionState allowsLoadAllData() {
        return READ.allowsLoadAllData();
    }

    @Override
    public PermissionState allowsLoadUri(URI uri, InetAddress address) {
        return READ.allowsLoadUri(uri, address);
    }

    @Override
    public Set<String> roles() {
        return READ.roles();
    }

    @Override
    public boolean isOverridden() {
        return READ.isOverridden();
    }

    @Override
    public boolean isCacheable() {
        return READ.isCacheable();
    }
}
