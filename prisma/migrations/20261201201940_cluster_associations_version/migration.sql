-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "associationsVersion" BIGINT NOT NULL DEFAULT 0;

-- Every statement that writes "PodIdentityAssociation" bumps the version of each
-- cluster it touched, in its own transaction. Statement-level, with transition
-- tables: a refresh's createMany of 1,000 rows updates its cluster's row once.
-- Every writer in RoleGate locks (or upserts) the cluster's row before writing its
-- associations, so taking that row's lock here adds no new lock order.
CREATE FUNCTION "bump_cluster_associations_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Cluster" SET "associationsVersion" = "associationsVersion" + 1 WHERE "id" IN (SELECT DISTINCT "clusterId" FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Cluster" SET "associationsVersion" = "associationsVersion" + 1 WHERE "id" IN (SELECT DISTINCT "clusterId" FROM old_rows);
  ELSE
    UPDATE "Cluster" SET "associationsVersion" = "associationsVersion" + 1
      WHERE "id" IN (SELECT "clusterId" FROM new_rows UNION SELECT "clusterId" FROM old_rows);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "PodIdentityAssociation_inserted_bumps_cluster"
  AFTER INSERT ON "PodIdentityAssociation" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_cluster_associations_version"();
CREATE TRIGGER "PodIdentityAssociation_updated_bumps_cluster"
  AFTER UPDATE ON "PodIdentityAssociation" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_cluster_associations_version"();
CREATE TRIGGER "PodIdentityAssociation_deleted_bumps_cluster"
  AFTER DELETE ON "PodIdentityAssociation" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_cluster_associations_version"();
