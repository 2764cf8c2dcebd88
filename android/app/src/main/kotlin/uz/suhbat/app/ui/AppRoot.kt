package uz.suhbat.app.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.filled.BarChart
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.MoreVert
import androidx.compose.material.icons.filled.People
import androidx.compose.material.icons.filled.Sync
import androidx.compose.material.icons.filled.Tune
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uz.suhbat.app.SuhbatApp
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.Role
import uz.suhbat.ffi.Screen
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.valueOrNull

/** Where the user is, above the tabs. */
sealed interface Route {
    /** A person's card. */
    data class Person(val id: String) : Route
    /**
     * The core's form of [kind]: a new record when [recordId] is null ([about] names the record it
     * starts from: the person of a conversation, the person or case of a request), or a part
     * [itemId] of a record (a seven task, a follow-up `m1`, a decision).
     */
    data class Form(val kind: FormKind, val recordId: String? = null, val itemId: String? = null, val about: String? = null) : Route
    /** A parent case. */
    data class Case(val id: String) : Route
    /** A screen of the core's navigation opened from the menu. */
    data class Open(val screen: Screen) : Route
    /** One cooperation request. */
    data class Referral(val id: String) : Route
    /** The alphabetical book of a year. */
    data class AlphabeticalBook(val year: Int) : Route
    /** Applications past their deadline. */
    data object OverdueApplications : Route
}

/**
 * Opens the store (or sets it up at first start), then shows the app. Starts over when the
 * hub ordered a wipe.
 */
@Composable
fun AppRoot(app: SuhbatApp) {
    val generation by app.storeGeneration.collectAsState()
    key(generation) { StoreRoot(app) }
}

@Composable
private fun StoreRoot(app: SuhbatApp) {
    var repository by remember { mutableStateOf<SuhbatRepository?>(null) }
    var error by remember { mutableStateOf<String?>(null) }
    val scope = rememberCoroutineScope()
    LaunchedEffect(Unit) {
        if (app.hasStore()) app.open(null).fold({ repository = it }, { error = it.message })
    }
    val repo = repository
    when {
        repo != null -> MainScreen(app, repo)
        app.hasStore() -> if (error != null) ErrorText(error.orEmpty()) else Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
        else -> SetupScreen(app, error) { profile ->
            scope.launch { app.open(profile).fold({ repository = it }, { error = it.message }) }
        }
    }
}

/** First start: who uses this phone and in which mahalla. */
@Composable
fun SetupScreen(app: SuhbatApp, error: String?, onStart: (DeviceProfile) -> Unit) {
    var person by remember { mutableStateOf("") }
    var mahalla by remember { mutableStateOf("") }
    FormScaffold(
        title = app.text("screen.setup"),
        submitLabel = app.text("action.start"),
        errors = listOfNotNull(error),
        canSubmit = person.isNotBlank() && mahalla.isNotBlank(),
        onSubmit = { onStart(DeviceProfile(person.trim(), Role.INSPECTOR, listOf(mahalla.trim()))) },
    ) {
        Text(app.text("setup.explain"))
        OutlinedTextField(person, { person = it }, label = { Text(app.text("setup.person")) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(mahalla, { mahalla = it }, label = { Text(app.text("field.mahalla")) }, modifier = Modifier.fillMaxWidth())
    }
}

/** Tabs from the core's navigation view-model, with a stack of detail screens above them. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun MainScreen(app: SuhbatApp, repo: SuhbatRepository) {
    var tab by remember { mutableStateOf(Screen.WORKLIST) }
    val stack = remember { mutableStateListOf<Route>() }
    val navigation = rememberScreen(tab to stack.size) { repo.navigation() }
    val navState by navigation.state.collectAsState()
    val nav = navState.valueOrNull()
    val navigate: (Route) -> Unit = { stack.add(it) }
    val back: () -> Unit = { stack.removeLastOrNull() }
    var menu by remember { mutableStateOf(false) }
    BackHandler(enabled = stack.isNotEmpty(), onBack = back)

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(nav?.title.orEmpty()) },
                navigationIcon = {
                    if (stack.isNotEmpty()) {
                        IconButton(onClick = back) { Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = null) }
                    }
                },
                actions = {
                    if (stack.isEmpty()) {
                        IconButton(onClick = { menu = true }) { Icon(Icons.Filled.MoreVert, contentDescription = null) }
                        // The core says which screens and new records this role has.
                        DropdownMenu(expanded = menu, onDismissRequest = { menu = false }) {
                            for (entry in nav?.menu.orEmpty()) {
                                DropdownMenuItem(text = { Text(entry.label) }, onClick = { menu = false; navigate(Route.Open(entry.screen)) })
                            }
                            for (action in nav?.newRecords.orEmpty()) {
                                DropdownMenuItem(text = { Text(action.label) }, onClick = { menu = false; navigate(Route.Form(action.kind)) })
                            }
                        }
                    }
                },
            )
        },
        bottomBar = {
            if (stack.isEmpty() && nav != null) {
                NavigationBar {
                    for (item in nav.tabs) {
                        NavigationBarItem(
                            selected = item.screen == tab,
                            onClick = { tab = item.screen },
                            icon = {
                                BadgedBox(badge = { item.badge?.let { Badge { Text(it.toString()) } } }) {
                                    Icon(iconOf(item.screen), contentDescription = null)
                                }
                            },
                            label = { Text(item.label) },
                        )
                    }
                }
            }
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            when (val route = stack.lastOrNull()) {
                null -> ScreenOf(app, repo, tab, navigate)
                is Route.Open -> ScreenOf(app, repo, route.screen, navigate)
                is Route.Person -> PersonDetailScreen(repo, route.id, navigate)
                is Route.Form -> FormScreen(repo, route, onDone = back) { repo.form(route.kind, route.recordId, route.itemId, route.about) }
                is Route.Case -> ParentCaseScreen(repo, route.id, navigate)
                is Route.Referral -> ReferralDetailScreen(repo, route.id, navigate)
                is Route.AlphabeticalBook -> AlphabeticalBookScreen(repo, route.year, navigate)
                Route.OverdueApplications -> OverdueApplicationsScreen(repo, navigate)
            }
        }
    }
}

/**
 * The view of each of the core's screens, by name.
 */
@Composable
private fun ScreenOf(app: SuhbatApp, repo: SuhbatRepository, screen: Screen, navigate: (Route) -> Unit) {
    when (screen) {
        Screen.WORKLIST -> WorklistScreen(repo, navigate)
        Screen.PERSONS -> PersonsScreen(repo, navigate)
        Screen.CONFLICTS -> ConflictsScreen(repo)
        Screen.SYNC -> SyncScreen(app, repo)
        Screen.REFERRALS -> ReferralsScreen(repo, navigate)
        Screen.REGISTRY -> RegistryScreen(repo, navigate)
        Screen.EVENTS -> EventsScreen(repo, navigate)
        Screen.PARENT_CASES -> ParentCasesScreen(repo, navigate)
        Screen.EFFECTIVENESS, Screen.DISTRICT_REPORT, Screen.TRENDS -> ReportScreen(repo, screen)
        Screen.RISK_WEIGHTS -> RiskWeightsScreen(repo)
        Screen.DUPLICATES -> DuplicatesScreen(repo, navigate)
        Screen.KEPT_ASIDE -> KeptAsideScreen(repo, navigate)
        Screen.EXCHANGE -> ExchangeScreen(repo, navigate)
    }
}

private fun iconOf(screen: Screen) = when (screen) {
    Screen.WORKLIST -> Icons.Filled.DateRange
    Screen.PERSONS, Screen.DUPLICATES -> Icons.Filled.People
    Screen.CONFLICTS, Screen.KEPT_ASIDE -> Icons.Filled.Warning
    Screen.SYNC, Screen.EXCHANGE -> Icons.Filled.Sync
    Screen.PARENT_CASES, Screen.REFERRALS, Screen.REGISTRY, Screen.EVENTS -> Icons.Filled.DateRange
    Screen.EFFECTIVENESS, Screen.DISTRICT_REPORT, Screen.TRENDS -> Icons.Filled.BarChart
    Screen.RISK_WEIGHTS -> Icons.Filled.Tune
}
