package dev.sluice.urlgroups.control;

import dev.sluice.urlgroups.entity.UrlGroup;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Stored URL groups: add and remove endpoints (adding creates the group), list, get, delete. */
@Stateless
public class UrlGroupCatalog {

    @PersistenceContext
    EntityManager em;

    public UrlGroup addEndpoints(String name, List<UrlGroup.Endpoint> endpoints) {
        long now = System.currentTimeMillis();
        UrlGroup group = em.find(UrlGroup.class, name);
        if (group == null) {
            group = new UrlGroup(name, now);
            em.persist(group);
        }
        group.add(endpoints, now);
        return group;
    }

    /** Empty when the group does not exist. */
    public Optional<Integer> removeEndpoints(String name, List<UrlGroup.Endpoint> endpoints) {
        return find(name).map(group -> group.remove(endpoints, System.currentTimeMillis()));
    }

    public Optional<UrlGroup> find(String name) {
        return Optional.ofNullable(em.find(UrlGroup.class, name));
    }

    public List<UrlGroup> list() {
        return em.createQuery("SELECT g FROM UrlGroup g ORDER BY g.name", UrlGroup.class).getResultList();
    }

    public boolean delete(String name) {
        UrlGroup group = em.find(UrlGroup.class, name);
        if (group == null) {
            return false;
        }
        em.remove(group);
        return true;
    }
}
