package dev.suite.task.schedules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.timer.Cron;
import dev.suite.task.TaskSettings;
import dev.suite.task.schedules.dto.ScheduleRequest;
import dev.suite.task.schedules.dto.ScheduleResponse;
import dev.suite.task.tasks.TaskService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of schedules: a checked cron expression and time zone, a task template checked as a
 * create would be, a cap per user, and the next tick put in Redis whenever it changes (Redis away:
 * the ticker puts it back from MySQL within a reconcile interval).
 */
@ApplicationScoped
public class ScheduleService {

    private static final Logger LOG = Logger.getLogger(ScheduleService.class);

    private final ScheduleStore store;
    private final ScheduleTicker ticker;
    private final TaskService tasks;
    private final TaskSettings settings;
    private final Validator validator;
    private final ObjectMapper mapper;

    public ScheduleService(ScheduleStore store, ScheduleTicker ticker, TaskService tasks, TaskSettings settings,
            Validator validator, ObjectMapper mapper) {
        this.store = store;
        this.ticker = ticker;
        this.tasks = tasks;
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
    }

    public Uni<ScheduleResponse> create(String ownerId, ScheduleRequest request) {
        return checked(ownerId, request).chain(cron -> store.count(ownerId).chain(count -> {
            if (count >= settings.maxSchedulesPerUser()) {
                return Uni.createFrom().failure(ProblemException.conflict("You have " + count + " schedules, the most "
                        + "allowed (suite.task.max-schedules-per-user); delete one first."));
            }
            Instant now = Times.now();
            ScheduleResponse schedule = view(Ids.newId(), request, cron, now, now, now);
            return store.insert(ownerId, schedule).replaceWith(schedule);
        })).onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameTaken(request))
                .call(schedule -> arm(schedule));
    }

    public Uni<ScheduleResponse> replace(String ownerId, String scheduleId, ScheduleRequest request) {
        return get(ownerId, scheduleId).chain(existing -> checked(ownerId, request).chain(cron -> {
            ScheduleResponse schedule = view(scheduleId, request, cron, Times.now(), existing.createdAt(), Times.now());
            return store.replace(ownerId, schedule).chain(found -> found ? get(ownerId, scheduleId)
                    : Uni.createFrom().failure(ProblemException.notFound("Schedule")));
        })).onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameTaken(request))
                .call(this::arm);
    }

    public Uni<Void> delete(String ownerId, String scheduleId) {
        if (!Ids.isId(scheduleId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Schedule"));
        }
        return store.delete(ownerId, scheduleId).chain(found -> found
                // A tick already taken finds no row and drops it; one Redis still holds is dropped when due.
                ? ticker.arm(scheduleId, null).onFailure().recoverWithNull().replaceWithVoid()
                : Uni.createFrom().failure(ProblemException.notFound("Schedule")));
    }

    public Uni<ScheduleResponse> get(String ownerId, String scheduleId) {
        if (!Ids.isId(scheduleId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Schedule"));
        }
        return store.find(ownerId, scheduleId).map(found -> found.orElseThrow(() -> ProblemException.notFound("Schedule")));
    }

    public Uni<Page<ScheduleResponse>> list(String ownerId, String limit, String before) {
        PageRequest page = PageRequest.of(limit, before);
        return store.page(ownerId, page.before(), page.fetchSize())
                .map(rows -> Page.of(rows, page, ScheduleResponse::scheduleId, s -> s));
    }

    /** The request's cron read in its zone, once every field and the template are valid. */
    private Uni<Cron> checked(String ownerId, ScheduleRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        ZoneId zone = ZoneOffset.UTC;
        if (errors.stream().noneMatch(e -> e.field().equals("time_zone"))) {
            try {
                zone = Cron.zone(request.timeZone);
            } catch (Cron.InvalidException e) {
                errors.add(new FieldError(e.field(), e.getMessage()));
            }
        }
        Cron cron = null;
        if (errors.stream().noneMatch(e -> e.field().equals("cron"))) {
            try {
                cron = Cron.parse(request.cron, zone);
            } catch (Cron.InvalidException e) {
                errors.add(new FieldError(e.field(), e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        Cron parsed = cron;
        return tasks.checkTemplate(ownerId, request.task, "task.").replaceWith(parsed);
    }

    private ScheduleResponse view(String scheduleId, ScheduleRequest request, Cron cron, Instant now, Instant createdAt,
            Instant updatedAt) {
        boolean enabled = request.enabled == null || request.enabled;
        ObjectNode template = mapper.valueToTree(request.task);
        List<String> unset = new ArrayList<>();
        template.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                unset.add(field.getKey());
            }
        });
        template.remove(unset);
        return new ScheduleResponse(scheduleId, request.name.strip(), cron.expression(), cron.zone().getId(),
                request.missed == null ? "catch_up_once" : request.missed, enabled, template,
                enabled ? cron.next(now) : null, null, null, null, 0, 0, createdAt, updatedAt);
    }

    private Uni<Void> arm(ScheduleResponse schedule) {
        // Redis away: the ticker restores the tick from MySQL once it is back.
        return ticker.arm(schedule.scheduleId(), schedule.nextRunAt()).onFailure().recoverWithItem(e -> {
            LOG.warnf("Schedule %s not put in Redis (restored later): %s", schedule.scheduleId(), e.getMessage());
            return null;
        });
    }

    private static ProblemException nameTaken(ScheduleRequest request) {
        return ProblemException.conflict("You already have a schedule named '" + request.name.strip() + "'.");
    }
}
